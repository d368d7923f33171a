// `lock status` and `lock break`: what the state-directory lock is, and the
// operator's way to remove a lock that is not taken over automatically (its
// holder is on another host, in another PID namespace, or written by an older
// tau-po). @tau/durable-fs judges and removes; this file authorizes, refuses
// a live holder, and records the break in the audit log.
import fs from 'node:fs';
import path from 'node:path';
import {
  breakStateDirLock,
  discardBrokenLock,
  inspectStateDirLock,
  LockPathNotAFileError,
  printableLockText,
  STATE_DIR_LOCK_FILE,
  StateDirBusyError,
  type BrokenStateDirLock,
  type LockHolder,
} from '@tau/durable-fs';
import { actionKeyFor, resolvePrincipal, type PrincipalEnvironment } from '@tau/rbac';
import { escapeTerminalText, unixMsText, type AuditOperatorRow } from '@tau/schemas';
import { AUDIT_REPAIR_ACTION } from './audit-log-commands.js';
import { authorizeControlCommand } from './control-authorization.js';
import { assertOperatorAuditRowCommittable, commitOperatorAuditRow } from './operator-audit-commit.js';
import { withStateDirLock } from './state-dir-lock-scope.js';
import { stateDirPaths } from './state-dir-paths.js';

/**
 * The RBAC action `lock break` is authorized as: like `audit repair`, it
 * makes a stuck state directory usable again, so it needs resume's permission
 * (`control:rl:resume`).
 */
export const LOCK_BREAK_ACTION = AUDIT_REPAIR_ACTION;

/** The `tau-po lock status --json` document. */
export interface LockStatusReport {
  state_dir: string;
  lock_path: string;
  /** `free`; `held` (see `holder.verdict`); `not_a_lock_file`: something else is at the lock path (see `problem`). */
  state: 'free' | 'held' | 'not_a_lock_file';
  holder: LockHolder | null;
  problem: string | null;
}

function lockPathOf(stateDir: string): string {
  return path.join(stateDir, STATE_DIR_LOCK_FILE);
}

/**
 * `lock status`: who holds the lock, for how long, and whether the holder is
 * alive, provably stale (and why) or cannot be judged from here (and why).
 * Reads only; no lock, no authorization, like `status`.
 */
export function lockStatusCommand(stateDir: string): LockStatusReport {
  const base = { state_dir: stateDir, lock_path: lockPathOf(stateDir) };
  if (!fs.existsSync(stateDir)) return { ...base, state: 'free', holder: null, problem: null };
  try {
    const inspection = inspectStateDirLock(stateDir);
    return inspection === undefined
      ? { ...base, state: 'free', holder: null, problem: null }
      : { ...base, state: 'held', holder: inspection.holder, problem: null };
  } catch (error) {
    if (error instanceof LockPathNotAFileError) return { ...base, state: 'not_a_lock_file', holder: null, problem: error.message };
    throw error;
  }
}

function formatAge(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h`;
}

/** What the verdict means for the operator, in one phrase. */
export function describeLockVerdict(holder: LockHolder): string {
  switch (holder.verdict) {
    case 'alive':
      return `alive: ${holder.explanation}; a command is running, wait for it`;
    case 'stale':
      return `provably stale: ${holder.explanation}; the next command takes it over`;
    case 'unknown':
      return `cannot be judged: ${holder.explanation}; never taken over automatically: make sure that command is gone, then run \`tau-po lock break\``;
  }
}

/** Who holds a lock, in one phrase. */
export function describeLockHolderIdentity(holder: LockHolder): string {
  const since = `since ${unixMsText(holder.since_unix_ms)} (${formatAge(holder.age_ms)} ago)`;
  if (!holder.complete) return `an incomplete lock file ${since}`;
  return `pid ${holder.pid} on host ${printableLockText(holder.host ?? '')} (${printableLockText(holder.command ?? '')}) ${since}`;
}

/** `lock status` as text: one line. */
export function renderLockStatus(report: LockStatusReport): string {
  const lockPath = escapeTerminalText(report.lock_path);
  if (report.state === 'not_a_lock_file') return `lock ${lockPath}: ${escapeTerminalText(report.problem ?? '')}`;
  if (report.holder === null) return `lock ${lockPath}: free`;
  return `lock ${lockPath}: held by ${describeLockHolderIdentity(report.holder)}; ${escapeTerminalText(describeLockVerdict(report.holder))}`;
}

/**
 * `lock break` refused: the holder is provably alive. Its cause is the
 * `StateDirBusyError` every other command would get, so the exit status is
 * busy's (5): the directory is in use, nothing is wrong with it.
 */
export class LockBreakRefusedError extends Error {
  override name = 'LockBreakRefusedError';
  constructor(
    readonly lockPath: string,
    readonly holder: LockHolder,
  ) {
    super(`refusing to break the lock '${lockPath}': its holder is alive (${holder.explanation})`, {
      cause: new StateDirBusyError(holder, lockPath),
    });
  }
}

/** The lock was removed, but its audit row could not be written: the removed file is kept as evidence. */
export class LockBreakUnrecordedError extends Error {
  override name = 'LockBreakUnrecordedError';
}

/** Who asks for `lock break`, and where. */
export interface LockBreakRequest {
  stateDir: string;
  rbacPolicyPath: string;
  /** As given; blank or absent resolves to the local principal. */
  principal?: string;
}

/** What `lock break` did: the `--json` document. */
export interface LockBreakOutcome {
  principal: string;
  state_dir: string;
  lock_path: string;
  /** The holder whose lock was removed; null when the lock was free. */
  broken: LockHolder | null;
  /** Set when an audit row was appended. */
  audit_row_count: number | null;
  diagnostics: string[];
}

/** Waiting for our own lock right after the break: a command that slipped in first is a live one, and short. */
const RELOCK_PATIENCE_MS = 10_000;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function withStateDirLockPatiently<T>(stateDir: string, command: string, body: () => T): T {
  const deadline = Date.now() + RELOCK_PATIENCE_MS;
  for (;;) {
    try {
      return withStateDirLock(stateDir, command, body);
    } catch (error) {
      if (!(error instanceof StateDirBusyError) || Date.now() > deadline) throw error;
      sleepSync(50);
    }
  }
}

function brokenLockFields(holder: LockHolder): Record<string, string | number | null> {
  return {
    pid: holder.pid,
    host: holder.host,
    command: holder.command,
    since_unix_ms: holder.since_unix_ms,
    boot_id: holder.boot_id,
    pid_namespace: holder.pid_namespace,
    start_time_ticks: holder.start_time_ticks,
    verdict: holder.verdict,
    reason: holder.reason,
  };
}

/**
 * `lock break`: removes the state-directory lock whose holder is provably
 * stale or cannot be judged from here (another host, another PID namespace,
 * an older lock file), as the operator's explicit act; refuses a provably
 * alive holder (`LockBreakRefusedError`, exit 5). Authorized as
 * `control:rl:resume`. Race-safe: the lock file is moved aside only if it is
 * still exactly the one judged. Recorded in the audit log as a `lock_break`
 * row naming the broken holder, appended under our own lock; once the row is
 * durable the moved-aside file is deleted (if the row cannot be written, it
 * is kept and named in the error). Everything the row needs is checked
 * before the lock is touched.
 */
export async function breakLockCommand(
  request: LockBreakRequest,
  env: PrincipalEnvironment = process.env,
  options: { now?: () => number } = {},
): Promise<LockBreakOutcome> {
  const now = options.now ?? Date.now;
  const principal = resolvePrincipal(request.principal, env);
  const actionKey = actionKeyFor(LOCK_BREAK_ACTION);
  await authorizeControlCommand(request.rbacPolicyPath, principal, 'lock break', actionKey);
  const lockPath = lockPathOf(request.stateDir);
  const free: LockBreakOutcome = {
    principal,
    state_dir: request.stateDir,
    lock_path: lockPath,
    broken: null,
    audit_row_count: null,
    diagnostics: [],
  };
  if (!fs.existsSync(request.stateDir)) return free;
  const inspection = inspectStateDirLock(request.stateDir);
  if (inspection === undefined) return free;
  if (inspection.holder.verdict === 'alive') throw new LockBreakRefusedError(lockPath, inspection.holder);

  const paths = stateDirPaths(request.stateDir);
  assertOperatorAuditRowCommittable(paths);
  const broken: BrokenStateDirLock = breakStateDirLock(inspection);
  let committed: ReturnType<typeof commitOperatorAuditRow>;
  try {
    committed = withStateDirLockPatiently(request.stateDir, 'lock break', () =>
      commitOperatorAuditRow(
        paths,
        (lifecycle): AuditOperatorRow => ({
          schema_version: 1,
          timestamp_unix_ms: now(),
          principal,
          action: 'lock_break',
          action_key: actionKey,
          lifecycle_state: lifecycle,
          idempotent: false,
          rollback_checkpoint: null,
          recovery_checkpoint_source: null,
          broken_lock: brokenLockFields(broken.holder),
        }),
        now,
      ),
    );
  } catch (cause) {
    throw new LockBreakUnrecordedError(
      `the lock '${lockPath}' was removed but its audit row was not written; the removed lock file is kept at '${broken.asidePath}'`,
      { cause },
    );
  }
  discardBrokenLock(broken);
  return { ...free, broken: broken.holder, audit_row_count: committed.head.row_count, diagnostics: committed.diagnostics };
}

/** `lock break` as text: one line. */
export function renderLockBreak(outcome: LockBreakOutcome): string {
  const e = escapeTerminalText;
  if (outcome.broken === null) return `lock ${e(outcome.lock_path)}: free, nothing to break`;
  return (
    `lock ${e(outcome.lock_path)}: broke the lock of ${describeLockHolderIdentity(outcome.broken)} (${outcome.broken.verdict}: ${e(outcome.broken.explanation)}); ` +
    `recorded as audit row ${outcome.audit_row_count} (action lock_break, principal ${e(outcome.principal)})`
  );
}
