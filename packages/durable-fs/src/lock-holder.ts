// The description of a lock's holder that errors, `doctor` and `lock status`
// report. Pure.
import { escapeTerminalText } from '@tau/schemas';
import { explainLockJudgement, type LockJudgement } from './lock-holder-judgement.js';
import type { LockRecord } from './lock-record.js';

/**
 * Who holds a state-directory lock and what can be said about it.
 * `complete` is false when the lock file is empty or unparsable (its holder
 * was killed between creating and writing it); then the record's fields are
 * null and `since_unix_ms` is the file's modification time.
 */
export interface LockHolder {
  readonly pid: number | null;
  readonly host: string | null;
  readonly since_unix_ms: number;
  /** How long the lock had been held when it was looked at. */
  readonly age_ms: number;
  readonly command: string | null;
  readonly boot_id: string | null;
  readonly pid_namespace: number | null;
  readonly start_time_ticks: number | null;
  /** `alive`, `stale` (provably gone: taken over automatically) or `unknown` (never taken over automatically). */
  readonly verdict: LockJudgement['verdict'];
  readonly reason: LockJudgement['reason'];
  /** The reason in words. */
  readonly explanation: string;
  /** Same as `verdict === 'stale'` (kept for readers of the older report). */
  readonly stale: boolean;
  readonly complete: boolean;
}

/** The holder description of a lock file, as judged at `nowUnixMs` (pure). */
export function describeLockHolder(
  record: LockRecord | undefined,
  fileMtimeMs: number,
  judgement: LockJudgement,
  nowUnixMs: number,
): LockHolder {
  const verdict = {
    verdict: judgement.verdict,
    reason: judgement.reason,
    explanation: explainLockJudgement(judgement),
    stale: judgement.verdict === 'stale',
  };
  if (record === undefined) {
    return {
      pid: null,
      host: null,
      since_unix_ms: fileMtimeMs,
      age_ms: Math.max(0, nowUnixMs - fileMtimeMs),
      command: null,
      boot_id: null,
      pid_namespace: null,
      start_time_ticks: null,
      ...verdict,
      complete: false,
    };
  }
  return {
    pid: record.pid,
    host: record.host,
    since_unix_ms: record.since_unix_ms,
    age_ms: Math.max(0, nowUnixMs - record.since_unix_ms),
    command: record.command,
    boot_id: record.boot_id ?? null,
    pid_namespace: record.pid_namespace ?? null,
    start_time_ticks: record.start_time_ticks ?? null,
    ...verdict,
    complete: true,
  };
}

/**
 * A lock record's text (host, command) as it may be printed: the record is a
 * file anyone with write access to the state directory can edit, so control
 * characters are shown escaped (`\u{1b}`, by @tau/schemas' one escaping
 * function) and never reach a terminal.
 */
export function printableLockText(text: string): string {
  return escapeTerminalText(text);
}
