// `doctor`: everything that would stop a resume, found before the incident.
// Each artifact is checked on its own (so one broken file does not hide the
// next), and the verdict comes from running resume itself as a dry run: the
// same decisions, no second copy of them here.
import fs from 'node:fs';
import path from 'node:path';
import { replayAuditLog, type AuditReplay } from '@tau/audit-log';
import { verifyCheckpoint, type CheckpointVerification, type LoadedCheckpoint } from '@tau/checkpoint-store';
import { readStateDirLock, STATE_DIR_LOCK_FILE, StateDirBusyError, type LockHolder } from '@tau/durable-fs';
import { actionKeyFor, loadRbacPolicy, resolvePrincipal, type PrincipalEnvironment } from '@tau/rbac';
import {
  escapeTerminalText,
  formatErrorChain,
  readAuditHeadFile,
  unixMsText,
  readControlState,
  readRecoveryReportWithoutActions,
  readTrainingStatus,
  type CheckpointSource,
  type PolicyCheckpointHeader,
  type ControlState,
  type TrainingStatus,
} from '@tau/schemas';
import { runControlCommand } from './control-command.js';
import { describeLockHolderIdentity, describeLockVerdict } from './lock-commands.js';
import { EXIT_CODES, exitCodeForError, type ExitCode } from './control-errors.js';
import { reconcileControlState } from './control-state-reconcile.js';
import { detectCrash } from './crash-detection.js';
import { inspectPendingRecoveryReport } from './pending-recovery-report.js';
import { verifyStateDirAuditLog } from './state-dir-audit-verification.js';
import { stateDirPaths } from './state-dir-paths.js';
import { requireExistingStateDir } from './state-dir-presence.js';
import { checkStateFileWrites } from './state-file-observation.js';
import { planControlCommandWrites } from './state-file-writes.js';

/** Where `doctor` looks, and as whom a resume would run. */
export interface DoctorRequest {
  stateDir: string;
  rbacPolicyPath: string;
  /** As given; blank or absent resolves to the local principal. */
  principal?: string;
}

/** One thing `doctor` checked. */
export interface DoctorCheck {
  /** What was checked, e.g. `control state`, `primary checkpoint`. */
  name: string;
  /** False when something is wrong with it (it may or may not stop a resume; see `resume_would_succeed`). */
  ok: boolean;
  /** What was found, in one line. */
  detail: string;
}

/** Everything `doctor` found; `resume_would_succeed` decides its exit status. */
export interface DoctorReport {
  state_dir: string;
  /** The principal a resume would act as. */
  principal: string;
  checks: DoctorCheck[];
  /** Who holds the state-directory lock now, with the verdict on it (`alive`, `stale`, `unknown`), or null. */
  lock: LockHolder | null;
  /** True when a resume run now would succeed: its dry run passed and the lock is free or provably stale. */
  resume_would_succeed: boolean;
  /** Whether that resume would find a crash to recover; null when it would fail first. */
  resume_crash_detected: boolean | null;
  /** The checkpoint it would restore from; null when no crash (nothing to restore) or when it would fail. */
  resume_checkpoint_source: CheckpointSource | null;
  resume_checkpoint_run_id: string | null;
  /** The error chain the resume would fail with, or null. */
  resume_error: string | null;
  /** The exit status that resume would have (0 when it would succeed). */
  resume_exit_code: ExitCode;
}

function attempt<T>(body: () => T): { value: T; error?: undefined } | { value?: undefined; error: string } {
  try {
    return { value: body() };
  } catch (error) {
    return { error: formatErrorChain(error) };
  }
}

function describeState(state: ControlState): string {
  const head = state.audit_head === undefined ? 'no audit head (written by Tau)' : `audit head ${state.audit_head.row_count} rows`;
  return `lifecycle_state=${state.lifecycle_state} last_action=${state.last_action} principal=${state.principal} rollback_checkpoint=${state.rollback_checkpoint ?? 'none'}; ${head}`;
}

function describeStatus(status: TrainingStatus): string {
  return `run_state=${status.run_state} model_ref=${status.model_ref} rollouts=${status.total_rollouts}`;
}

function describeReplay(replay: AuditReplay): string {
  const parts = [`${replay.event_count} rows`, `implied lifecycle ${replay.implied_lifecycle_state ?? 'none'}`];
  if (replay.torn_tail !== null) {
    parts.push(
      `torn final line (line ${replay.torn_tail.line}, ${replay.torn_tail.byte_length} bytes): the next mutating command moves it aside`,
    );
  }
  if (replay.warnings.length > 0) parts.push(`${replay.warnings.length} warnings, first: ${replay.warnings[0]}`);
  return parts.join('; ');
}

function describeLock(lock: LockHolder | null): DoctorCheck {
  if (lock === null) return { name: 'lock', ok: true, detail: 'free' };
  return {
    name: 'lock',
    ok: lock.verdict === 'stale',
    detail: `held by ${describeLockHolderIdentity(lock)}; ${describeLockVerdict(lock)}`,
  };
}

async function checkRbac(request: DoctorRequest, principal: string): Promise<DoctorCheck[]> {
  let authorizer;
  try {
    authorizer = await loadRbacPolicy(request.rbacPolicyPath);
  } catch (error) {
    // Tau's validation messages are bare (no path); doctor is ours and names the file it checked.
    const chain = formatErrorChain(error);
    const detail = chain.includes(request.rbacPolicyPath) ? chain : `'${request.rbacPolicyPath}': ${chain}`;
    return [{ name: 'rbac policy', ok: false, detail }];
  }
  const policy: DoctorCheck =
    authorizer.missingPolicyError === null
      ? { name: 'rbac policy', ok: true, detail: `loaded '${request.rbacPolicyPath}'` }
      : { name: 'rbac policy', ok: false, detail: authorizer.missingPolicyError.message };
  const actionKey = actionKeyFor('resume');
  const decision = authorizer.decideSync(principal, actionKey);
  const matched = decision.matched_role === null ? '' : ` (role ${decision.matched_role}, pattern ${decision.matched_pattern})`;
  return [
    policy,
    {
      name: 'authorization',
      ok: decision.allowed,
      detail: `principal=${principal} action=${actionKey} ${decision.allowed ? 'allowed' : 'denied'} reason_code=${decision.reason_code}${matched}`,
    },
  ];
}

/**
 * `doctor`: checks every artifact of a state directory (each parsed on its
 * own), replays and verifies the audit log, reports the lock and both
 * checkpoints, and runs resume as a dry run to say whether a resume would
 * succeed now and from which checkpoint. Reads only; needs no authorization
 * (a broken policy is one of the things it reports). Never throws for what
 * it finds; exit 0 only when `resume_would_succeed`.
 */
export async function diagnoseStateDir(
  request: DoctorRequest,
  env: PrincipalEnvironment = process.env,
): Promise<DoctorReport> {
  requireExistingStateDir(request.stateDir);
  const principal = resolvePrincipal(request.principal, env);
  const paths = stateDirPaths(request.stateDir);
  const checks: DoctorCheck[] = await checkRbac(request, principal);

  const dirStat = fs.statSync(request.stateDir, { throwIfNoEntry: false });
  checks.push(
    dirStat?.isDirectory() === true
      ? { name: 'state directory', ok: true, detail: `'${request.stateDir}' exists` }
      : { name: 'state directory', ok: false, detail: `'${request.stateDir}' is not a directory` },
  );
  const lockRead = dirStat?.isDirectory() === true ? attempt(() => readStateDirLock(request.stateDir) ?? null) : { value: null };
  const lock = lockRead.value ?? null;
  checks.push(lockRead.error === undefined ? describeLock(lock) : { name: 'lock', ok: false, detail: lockRead.error });

  const state = attempt(() => readControlState(paths.controlState));
  checks.push({
    name: 'control state',
    ok: state.error === undefined,
    detail: state.error ?? (state.value === undefined ? 'missing (counts as running)' : describeState(state.value)),
  });
  const status = attempt(() => readTrainingStatus(paths.trainingStatus));
  checks.push({
    name: 'training status',
    ok: status.error === undefined,
    detail: status.error ?? (status.value === undefined ? 'missing' : describeStatus(status.value)),
  });
  const report = attempt(() => readRecoveryReportWithoutActions(paths.recoveryReport));
  checks.push({
    name: 'recovery report',
    ok: report.error === undefined,
    detail:
      report.error ??
      (report.value === undefined
        ? 'missing'
        : `recovered_at=${unixMsText(report.value.recovered_at_unix_ms)} crash_detected=${report.value.crash_detected} checkpoint_source=${report.value.checkpoint_source ?? 'none'}`),
  });

  const unwritable = checkStateFileWrites(planControlCommandWrites('resume', paths));
  checks.push({
    name: 'state files',
    ok: unwritable.length === 0,
    detail:
      unwritable.length === 0
        ? 'every file a resume writes can be written'
        : unwritable.map(({ path, problem }) => `cannot write '${path}': ${problem}`).join('; '),
  });

  const replay = attempt(() => replayAuditLog(paths.controlAudit));
  checks.push({ name: 'audit log', ok: replay.error === undefined, detail: replay.error ?? describeReplay(replay.value) });
  const chain = attempt(() => verifyStateDirAuditLog(paths).verification);
  if (chain.error !== undefined) {
    checks.push({ name: 'audit chain', ok: false, detail: chain.error });
  } else {
    const v = chain.value;
    const first = v.problems[0];
    checks.push({
      name: 'audit chain',
      ok: v.ok,
      detail: v.ok
        ? `intact: ${v.rows} rows (${v.chained_rows} chained, ${v.unchained_rows} unchained)${v.accepted.length > 0 ? `; ${v.accepted.length} accept rows` : ''}`
        : `${v.problems.length + v.problems_not_listed} problems; first: ${first?.line === null || first === undefined ? 'log' : `line ${first.line}`}: ${first?.kind}: ${first?.detail}; every mutating command refuses the log: run \`audit verify\`, then \`audit accept\``,
    });
  }
  const headFile = attempt(() => readAuditHeadFile(paths.controlAuditHead));
  if (state.error === undefined && replay.error === undefined && status.error === undefined) {
    const reconciled = reconcileControlState(state.value, replay.value, headFile.value);
    checks.push({
      name: 'reconciliation',
      ok: true,
      detail: reconciled.diagnostics.length === 0 ? 'control state and audit log agree' : reconciled.diagnostics.join('; '),
    });
    const pending = attempt(() => inspectPendingRecoveryReport(paths, replay.value.last_mutating_row?.row ?? null));
    const rollForward: string[] = [];
    if (reconciled.rolledForward) rollForward.push('a committed audit row is not applied yet: the next mutating command rolls the control state forward');
    if (pending.value?.verdict === 'install') rollForward.push(`'${paths.pendingRecoveryReport}' is committed by the last resume row: the next mutating command puts it in place`);
    if (pending.value?.verdict === 'quarantine') rollForward.push(`'${paths.pendingRecoveryReport}' is committed by no audit row: the next mutating command moves it aside`);
    checks.push({
      name: 'pending roll-forward',
      ok: pending.error === undefined,
      detail: pending.error ?? (rollForward.length === 0 ? 'none' : rollForward.join('; ')),
    });
    const crash = detectCrash(reconciled.state, status.value);
    checks.push({
      name: 'crash detection',
      ok: true,
      detail: crash
        ? `crash detected (lifecycle running, training ${status.value?.run_state ?? 'status missing'}): resume restores a checkpoint`
        : 'no crash detected: resume restores no checkpoint',
    });
  }
  // The dry run loads the checkpoint it would restore; that load is the check
  // of that file too, so a large checkpoint is read once, not twice.
  const lockBlocker = lockBlockerOf(request.stateDir, lock, lockRead.error ?? null);
  const { verdict, restoredCheckpoint } = await verdictOfResume(request, env, lockBlocker, principal);
  for (const [name, checkpointPath] of [
    ['primary checkpoint', paths.primaryCheckpoint],
    ['fallback checkpoint', paths.fallbackCheckpoint],
  ] as const) {
    checks.push({
      name,
      ...(restoredCheckpoint?.path === checkpointPath
        ? describeLoadedCheckpoint(restoredCheckpoint)
        : describeVerifiedCheckpoint(verifyCheckpoint(checkpointPath))),
    });
  }
  return { state_dir: request.stateDir, principal, checks, lock, ...verdict };
}

/** One line about a checkpoint that loads; `bytes` and the digest as the load or the verification found them. */
function describeValidCheckpoint(header: PolicyCheckpointHeader, bytes: number | null, digestOk: boolean): string {
  return `run_id=${header.run_id} global_step=${header.global_step} optimizer_step=${header.optimizer_step} bytes=${bytes}${digestOk ? ' digest ok' : ''}`;
}

function describeLoadedCheckpoint(checkpoint: LoadedCheckpoint): Omit<DoctorCheck, 'name'> {
  return { ok: true, detail: describeValidCheckpoint(checkpoint.header, checkpoint.bytes, checkpoint.digest_verified === true) };
}

function describeVerifiedCheckpoint(v: CheckpointVerification): Omit<DoctorCheck, 'name'> {
  return {
    ok: v.valid,
    detail:
      v.valid && v.header !== null
        ? describeValidCheckpoint(v.header, v.bytes, v.digest.matches === true)
        : (v.error ?? 'invalid'),
  };
}

type ResumeVerdict = Omit<DoctorReport, 'state_dir' | 'principal' | 'checks' | 'lock'>;

/** Why the lock would stop a resume now (its error and exit status), or null when it would not. */
interface LockBlocker {
  error: string;
  exitCode: ExitCode;
}

/**
 * What the lock means for a resume now: something other than a lock file at
 * the lock path fails it (exit 1, the lock check's message); a holder not
 * provably stale makes it busy (exit 5, the message resume would print).
 */
function lockBlockerOf(stateDir: string, lock: LockHolder | null, lockError: string | null): LockBlocker | null {
  if (lockError !== null) return { error: lockError, exitCode: EXIT_CODES.failure };
  if (lock === null || lock.verdict === 'stale') return null;
  return { error: new StateDirBusyError(lock, path.join(stateDir, STATE_DIR_LOCK_FILE)).message, exitCode: EXIT_CODES.busy };
}

/**
 * Runs resume as a dry run and folds in the lock: the verdict a real resume
 * would reach now, and the checkpoint it would restore, as loaded.
 */
async function verdictOfResume(
  request: DoctorRequest,
  env: PrincipalEnvironment,
  lockBlocker: LockBlocker | null,
  principal: string,
): Promise<{ verdict: ResumeVerdict; restoredCheckpoint: LoadedCheckpoint | null }> {
  try {
    const outcome = await runControlCommand(
      { action: 'resume', dryRun: true, stateDir: request.stateDir, rbacPolicyPath: request.rbacPolicyPath, principal },
      env,
    );
    const recovery = outcome.recoveryReport;
    const verdict: ResumeVerdict = {
      resume_would_succeed: lockBlocker === null,
      resume_crash_detected: recovery?.crash_detected ?? null,
      resume_checkpoint_source: recovery?.checkpoint_source ?? null,
      resume_checkpoint_run_id: recovery?.checkpoint_run_id ?? null,
      resume_error: lockBlocker?.error ?? null,
      resume_exit_code: lockBlocker?.exitCode ?? EXIT_CODES.success,
    };
    return { verdict, restoredCheckpoint: outcome.restoredCheckpoint ?? null };
  } catch (error) {
    const verdict: ResumeVerdict = {
      resume_would_succeed: false,
      resume_crash_detected: null,
      resume_checkpoint_source: null,
      resume_checkpoint_run_id: null,
      resume_error: formatErrorChain(error),
      resume_exit_code: exitCodeForError(error),
    };
    return { verdict, restoredCheckpoint: null };
  }
}

/** Renders a doctor report as text: a header line, one line per check, the verdict last. */
export function renderDoctorReport(report: DoctorReport): string {
  const e = escapeTerminalText;
  const lines = [`doctor: state_dir=${e(report.state_dir)} principal=${e(report.principal)}`];
  for (const check of report.checks) lines.push(`  ${check.ok ? 'ok  ' : 'FAIL'}  ${e(check.name)}: ${e(check.detail)}`);
  if (report.resume_would_succeed) {
    const restore =
      report.resume_crash_detected === true
        ? `crash detected, restores from the ${report.resume_checkpoint_source} checkpoint (run_id=${e(report.resume_checkpoint_run_id ?? 'none')})`
        : 'no crash detected, no checkpoint needed';
    lines.push(`resume would succeed: ${restore}`);
  } else {
    lines.push(`resume would fail (exit ${report.resume_exit_code}): ${e(report.resume_error ?? 'unknown error')}`);
  }
  return lines.join('\n');
}
