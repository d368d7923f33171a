// Whether the holder of a state-directory lock is alive, provably gone, or
// cannot be judged from here. Pure: the caller gathers every fact first
// (observeLockHolderFacts in state-dir-lock.ts) and nothing here does I/O.
//
// The rule: a lock is taken over automatically only when its holder is
// provably gone. "Provably" needs the same host and, for a pid check, the
// same PID namespace and the holder's start time: a pid seen from another
// namespace names another process (containers share host name and boot id),
// and a pid that exists may have been reused by a newer process.
import { INCOMPLETE_LOCK_GRACE_MS, type LockRecord } from './lock-record.js';

/** What this process can see of the pid a lock record names, in its own PID namespace. */
export type HolderProcessProbe =
  /** No process with that pid exists here (`kill(pid, 0)` gave ESRCH). */
  | { readonly state: 'absent' }
  /** A process with that pid exists; its start time when `/proc/<pid>/stat` could be read. */
  | { readonly state: 'present'; readonly startTimeTicks: number | undefined };

/** The facts about the observing process and the lock file that a judgement depends on. */
export interface LockObserver {
  readonly host: string;
  readonly bootId: string | undefined;
  /** This process's PID namespace inode; undefined when /proc cannot tell (not Linux, /proc of another namespace). */
  readonly pidNamespace: number | undefined;
  /** How long ago the lock file was last modified. */
  readonly fileAgeMs: number;
  /** What the record's pid is here (meaningful only when the namespaces match). */
  readonly holderProcess: HolderProcessProbe;
}

/** Why a holder is provably gone. */
export type StaleLockReason = 'other-boot' | 'pid-gone' | 'pid-reused' | 'incomplete-file-expired';
/** Why a holder cannot be judged from here. */
export type UnknownLockReason = 'other-host' | 'other-pid-namespace' | 'missing-facts' | 'incomplete-file-fresh';

/** The verdict on a lock's holder. Only `stale` is ever broken automatically. */
export type LockJudgement =
  | { readonly verdict: 'alive'; readonly reason: 'holder-running' }
  | { readonly verdict: 'stale'; readonly reason: StaleLockReason }
  | { readonly verdict: 'unknown'; readonly reason: UnknownLockReason };

/** Every reason a judgement can give, for tables and exhaustiveness. */
export const LOCK_JUDGEMENT_REASONS = [
  'holder-running',
  'other-boot',
  'pid-gone',
  'pid-reused',
  'incomplete-file-expired',
  'other-host',
  'other-pid-namespace',
  'missing-facts',
  'incomplete-file-fresh',
] as const satisfies readonly LockJudgement['reason'][];

/**
 * Judges a lock's holder (pure). In order:
 * 1. an incomplete record (empty or partial file: its writer was killed
 *    between creating and writing it) is stale once older than the grace
 *    period, unknown before;
 * 2. another host: unknown (we cannot see its processes);
 * 3. both boot ids known and different: stale (no process survives a
 *    reboot). Checked before the newer facts, so a lock left by an older
 *    tau-po before a reboot is still taken over;
 * 4. either side's PID namespace unknown, or the record's start time
 *    missing (an older tau-po wrote it): unknown. Such a lock may belong to a
 *    live process in another namespace, so it is never broken automatically;
 *    `tau-po lock break` is the operator's way out;
 * 5. another PID namespace: unknown;
 * 6. same namespace: pid absent, stale; pid present with another start
 *    time, stale (reused); the same start time, alive; start time
 *    unreadable, unknown.
 */
export function judgeLockHolder(record: LockRecord | undefined, observer: LockObserver): LockJudgement {
  if (record === undefined) {
    return observer.fileAgeMs > INCOMPLETE_LOCK_GRACE_MS
      ? { verdict: 'stale', reason: 'incomplete-file-expired' }
      : { verdict: 'unknown', reason: 'incomplete-file-fresh' };
  }
  if (record.host !== observer.host) return { verdict: 'unknown', reason: 'other-host' };
  if (record.boot_id !== undefined && observer.bootId !== undefined && record.boot_id !== observer.bootId) {
    return { verdict: 'stale', reason: 'other-boot' };
  }
  if (
    record.boot_id === undefined ||
    observer.bootId === undefined ||
    record.pid_namespace === undefined ||
    observer.pidNamespace === undefined ||
    record.start_time_ticks === undefined
  ) {
    return { verdict: 'unknown', reason: 'missing-facts' };
  }
  if (record.pid_namespace !== observer.pidNamespace) return { verdict: 'unknown', reason: 'other-pid-namespace' };
  const probe = observer.holderProcess;
  if (probe.state === 'absent') return { verdict: 'stale', reason: 'pid-gone' };
  if (probe.startTimeTicks === undefined) return { verdict: 'unknown', reason: 'missing-facts' };
  if (probe.startTimeTicks !== record.start_time_ticks) return { verdict: 'stale', reason: 'pid-reused' };
  return { verdict: 'alive', reason: 'holder-running' };
}

const EXPLANATIONS: Record<LockJudgement['reason'], string> = {
  'holder-running': 'its process is running on this host (same boot, same PID namespace, same start time)',
  'other-boot': 'it was taken before this host last booted, so its process is gone',
  'pid-gone': 'its process no longer exists on this host',
  'pid-reused': 'its pid now belongs to a process started later, so the holder is gone',
  'incomplete-file-expired': `the lock file is empty or partial and older than ${INCOMPLETE_LOCK_GRACE_MS / 1000} s: its writer died before finishing it`,
  'other-host': 'it was taken on another host, whose processes cannot be seen from here',
  'other-pid-namespace': 'it was taken in another PID namespace (another container), whose pids cannot be checked from here',
  'missing-facts': 'the facts needed to judge it are missing (a lock written by an older tau-po, or /proc unreadable)',
  'incomplete-file-fresh': 'the lock file is empty or partial and may still be being written',
};

/** One phrase saying why a judgement was reached, for messages and `lock status`. */
export function explainLockJudgement(judgement: LockJudgement): string {
  return EXPLANATIONS[judgement.reason];
}
