// The executor: the only code in this package that does I/O for a control
// command. It sequences DESIGN.md's steps and leaves every decision to the
// pure functions it calls, so the order of durable operations is readable
// top to bottom in `commitControlCommand`.
import fs from 'node:fs';
import {
  AuditChainFold,
  auditLogEndsAtHead,
  repairTornTail,
  replayAuditLog,
  type AuditReplay,
  type AuditTailPosition,
} from '@tau/audit-log';
import {
  CheckpointRestoreError,
  loadCheckpoint,
  loadCheckpointWithFallback,
  type LoadedCheckpoint,
} from '@tau/checkpoint-store';
import { replaceFileAtomically } from '@tau/durable-fs';
import { actionKeyFor, resolvePrincipal, type PrincipalEnvironment } from '@tau/rbac';
import {
  formatErrorChain,
  readAuditHeadFile,
  serializeControlState,
  type AuditHeadFile,
  type ControlReport,
  type ControlState,
  type RecoveryReportToWrite,
} from '@tau/schemas';
import { commitAuditRow } from './audit-commit.js';
import { assertFreeSpace, bytesNeededForCommit } from './free-space-check.js';
import { chainFoldOptionsFor, refuseUnverifiedAuditLog, type AcceptedFinding } from './audit-integrity.js';
import {
  RECOVERY_REPORT_DIGEST_KEY,
  installPendingRecoveryReport,
  settlePendingRecoveryReport,
  writePendingRecoveryReport,
} from './pending-recovery-report.js';
import { buildAuditRow, buildNextControlState, type CommitRecordInput } from './commit-records.js';
import { authorizeControlCommand } from './control-authorization.js';
import { RecoveryGuardrailError, RollbackCheckpointLoadError } from './control-errors.js';
import { buildControlReport, renderControlReportText, type RecoveryReportFields } from './control-report.js';
import { parseControlRequest, type ControlRequest } from './control-request.js';
import { reconcileControlState, type ReconciledControlState } from './control-state-reconcile.js';
import { detectCrash } from './crash-detection.js';
import { decideLifecycleTransition, type LifecycleTransition } from './lifecycle-transition.js';
import { buildRecoveryReport, type RestoredCheckpoint } from './recovery-report-builder.js';
import { stateDirPaths, type StateDirPaths } from './state-dir-paths.js';
import { assertStateFileWrites } from './state-file-observation.js';
import { planControlCommandWrites } from './state-file-writes.js';
import { withStateDirLock } from './state-dir-lock-scope.js';
import { loadStateDirSnapshot, type StateDirSnapshot } from './state-dir-snapshot.js';
import { describeTornTailLeft, describeTornTailRepaired } from './torn-tail-diagnostics.js';

/** Diagnostic every dry run ends with. */
export const DRY_RUN_DIAGNOSTIC = 'dry run: nothing written';

/** What one control command did, ready for the CLI to print. */
export interface ControlOutcome {
  /** The `--json` document (serialize with @tau/schemas `serializeControlReport`). */
  report: ControlReport;
  /** The one-line text output, without a newline. */
  text: string;
  /** The recovery report `resume` wrote (or, in a dry run, would write). */
  recoveryReport?: RecoveryReportToWrite;
  /**
   * The checkpoint `resume` restored (or, in a dry run, would restore), as
   * loaded: lets `doctor` report it without reading a large file twice.
   */
  restoredCheckpoint?: LoadedCheckpoint;
  /**
   * Everything the operator should read: for `resume` the recovery report's
   * diagnostics; otherwise this command's findings (torn audit tail,
   * reconciliation). Empty when there is nothing to say.
   */
  diagnostics: string[];
}

/** Test seams of the executor. */
export interface ControlCommandOptions {
  /** The clock (unix ms) for every timestamp one command writes; `Date.now` by default. */
  now?: () => number;
}

/** Everything a command decided before it writes anything. */
interface ControlPlan {
  request: ControlRequest;
  principal: string;
  paths: StateDirPaths;
  snapshot: StateDirSnapshot;
  /**
   * Undefined for `status` when the log could not be replayed (reported in
   * `diagnostics`), and when the O(1) check proved the log ends at our head
   * (then `tail` is the head file's and nothing after it needs applying).
   */
  replay: AuditReplay | undefined;
  reconciled: ReconciledControlState;
  /** Where the log ends (from the chain fold); null for `status`, which checks no chain. */
  tail: AuditTailPosition | null;
  /** Findings accepted so far (our head file carries them forward). */
  acceptedFindings: AcceptedFinding[];
  transition: LifecycleTransition;
  rollbackCheckpointRunId: string | null;
  crashDetected: boolean;
  restored: RestoredCheckpoint | null;
  /** The checkpoint behind `restored`, as loaded. */
  restoredCheckpoint: LoadedCheckpoint | null;
  /** Findings so far, in the order the operator should read them. */
  diagnostics: string[];
}

/**
 * Runs one control command (`status`, `pause`, `resume`, `cancel`,
 * `rollback <checkpoint>`, `resume --dry-run`) in DESIGN.md's order:
 * resolve the principal; authorize (before touching the state directory);
 * unless `status` or a dry run, create the directory, take its lock and
 * remove dead writers' temp files; load the artifacts; replay the audit log;
 * reconcile; decide (rollback checkpoint validated, resume's crash detection
 * and checkpoint restore); check that every file to write can take the
 * write; then commit: quarantine a torn audit tail, write the recovery report
 * (resume), append the audit row (the commit point), replace the control
 * state. Every failure before the commit writes nothing.
 *
 * @param env read only to resolve the local principal.
 * @throws UsageError (2), AuthorizationDeniedError (3), RecoveryGuardrailError (4),
 *   StateDirBusyError (5), anything else (1, e.g. `StateFileUnwritableError`): see `exitCodeForError`.
 */
export async function runControlCommand(
  request: ControlRequest,
  env: PrincipalEnvironment = process.env,
  options: ControlCommandOptions = {},
): Promise<ControlOutcome> {
  const valid = parseControlRequest(request);
  const principal = resolvePrincipal(valid.principal, env);
  await authorizeControlCommand(valid.rbacPolicyPath, principal, valid.action, actionKeyFor(valid.action));
  const paths = stateDirPaths(valid.stateDir);
  const now = options.now ?? Date.now;
  if (valid.action === 'status') return reportStatus(planControlCommand(valid, principal, paths));
  if (valid.dryRun === true) return reportDryRun(planControlCommand(valid, principal, paths), now());
  return withStateDirLock(valid.stateDir, valid.action, () =>
    commitControlCommand(planControlCommand(valid, principal, paths), now),
  );
}

/**
 * The head file's position when the log provably ends at it (O(1): the
 * log's identity stamp unchanged since our last append, one read of the last
 * row), with the control state present and recording the same head, and
 * no pending report to settle;
 * otherwise null, and the caller replays (which checks the whole chain).
 */
function tailIfLogEndsAtHead(
  paths: StateDirPaths,
  headFile: AuditHeadFile | undefined,
  snapshot: StateDirSnapshot,
): AuditTailPosition | null {
  if (headFile === undefined || snapshot.controlState === undefined) return null;
  // Our two records of the head must agree: an edit of one file alone (the head moved back a row to
  // hide a cut) is then caught here, not only by the next replay.
  const recorded = snapshot.controlState.audit_head;
  if (recorded?.row_count !== headFile.row_count || recorded.last_row_sha256 !== headFile.last_row_sha256) return null;
  if (fs.existsSync(paths.pendingRecoveryReport)) return null;
  const { row_count, last_row_offset, end_offset, last_row_sha256, log_change } = headFile;
  const tail = { row_count, last_row_offset, end_offset, last_row_sha256 };
  return auditLogEndsAtHead(paths.controlAudit, { ...tail, log_change }) ? tail : null;
}

/**
 * Loads, replays, reconciles and decides; reads only (checkpoints included),
 * never writes. Unless `status`, ends by checking that every file the commit
 * will write can take the write (`StateFileUnwritableError` otherwise), so a
 * dry run finds what would stop the real command.
 */
function planControlCommand(request: ControlRequest, principal: string, paths: StateDirPaths): ControlPlan {
  const snapshot = loadStateDirSnapshot(paths);
  const diagnostics: string[] = [];
  let headFile: AuditHeadFile | undefined;
  try {
    headFile = readAuditHeadFile(paths.controlAuditHead);
  } catch (error) {
    // A mutating command refuses an unreadable head (the error names it); status shows what it can.
    if (request.action !== 'status') throw error;
    diagnostics.push(`audit head file not read: ${formatErrorChain(error)}`);
  }
  // O(1) first (DESIGN.md step 5): a command that needs no actions, on a log that ends exactly at our
  // head file's last row, needs no replay. Anything else (rows after the head, a torn tail, no head
  // file, a pending report) takes the full replay, which checks the chain in the same pass. `status`
  // too: it takes no lock, but a commit racing it changes the log's stamp or the head it compares.
  const tailAtHead = request.action === 'resume' ? null : tailIfLogEndsAtHead(paths, headFile, snapshot);
  const chainFold =
    request.action === 'status' || tailAtHead !== null
      ? undefined
      : new AuditChainFold(chainFoldOptionsFor(headFile, snapshot.controlState));
  // Only resume's recovery report lists every row's action; the others need counts, not a million-entry array.
  const replayOptions = { collectActions: request.action === 'resume', ...(chainFold === undefined ? {} : { chainFold }) };
  let replay: AuditReplay | undefined;
  if (request.action === 'status' && tailAtHead === null) {
    // Tau's status never reads the log; a bad row must not blind the operator's first look.
    try {
      replay = replayAuditLog(paths.controlAudit, replayOptions);
    } catch (error) {
      diagnostics.push(`audit log not replayed, control state shown as on disk: ${formatErrorChain(error)}`);
    }
  } else if (tailAtHead === null) {
    replay = replayAuditLog(paths.controlAudit, replayOptions);
  }
  if (replay?.torn_tail != null && (request.action === 'status' || request.dryRun === true)) {
    diagnostics.push(describeTornTailLeft(replay.torn_tail));
  }
  const acceptedFindings: AcceptedFinding[] = headFile?.accepted_findings ?? [];
  if (chainFold !== undefined && replay !== undefined) {
    refuseUnverifiedAuditLog(
      chainFold.finish(paths.controlAudit, replay.torn_tail),
      { controlAuditPath: paths.controlAudit, controlStatePath: paths.controlState, controlStatePresent: snapshot.controlState !== undefined },
      acceptedFindings,
    );
  }
  // Without a replay (status that could not replay, or a log ending at our head) the state on disk is the committed one.
  const reconciled =
    replay === undefined
      ? { state: snapshot.controlState, diagnostics: [], rolledForward: false }
      : reconcileControlState(snapshot.controlState, replay, headFile);
  diagnostics.push(...reconciled.diagnostics);
  const transition = decideLifecycleTransition(request.action, reconciled.state, request.rollbackCheckpoint);
  const rollbackCheckpointRunId =
    request.action === 'rollback' ? loadRollbackCheckpointRunId(request.rollbackCheckpoint ?? '') : null;
  const crashDetected = request.action === 'resume' && detectCrash(reconciled.state, snapshot.trainingStatus);
  const restore = crashDetected ? restoreCheckpoint(paths) : null;
  // Last, right before the commit: every file the commit writes must take the write, or nothing is written.
  assertStateFileWrites(planControlCommandWrites(request.action, paths));
  if (request.action !== 'status') assertFreeSpace(paths.stateDir, bytesNeededForCommit(request.action, replay?.event_count ?? tailAtHead?.row_count ?? 0));
  return {
    request,
    principal,
    paths,
    snapshot,
    replay,
    reconciled,
    tail: tailAtHead ?? chainFold?.tailPosition ?? null,
    acceptedFindings,
    transition,
    rollbackCheckpointRunId,
    crashDetected,
    restored: restore?.restored ?? null,
    restoredCheckpoint: restore?.checkpoint ?? null,
    diagnostics,
  };
}

function loadRollbackCheckpointRunId(checkpointPath: string): string {
  try {
    return loadCheckpoint(checkpointPath).header.run_id;
  } catch (cause) {
    throw new RollbackCheckpointLoadError(checkpointPath, { cause });
  }
}

function restoreCheckpoint(paths: StateDirPaths): { restored: RestoredCheckpoint; checkpoint: LoadedCheckpoint } {
  try {
    const { checkpoint, source, diagnostics } = loadCheckpointWithFallback(
      paths.primaryCheckpoint,
      paths.fallbackCheckpoint,
    );
    const { run_id, global_step, optimizer_step } = checkpoint.header;
    return { restored: { source, run_id, global_step, optimizer_step, diagnostics: [...diagnostics] }, checkpoint };
  } catch (cause) {
    if (cause instanceof CheckpointRestoreError) {
      throw new RecoveryGuardrailError(paths.primaryCheckpoint, paths.fallbackCheckpoint, { cause });
    }
    throw cause;
  }
}

function commitInput(plan: ControlPlan, nowUnixMs: number): CommitRecordInput {
  const action = plan.request.action;
  if (action === 'status') throw new Error('status commits nothing');
  return {
    nowUnixMs,
    principal: plan.principal,
    action,
    actionKey: actionKeyFor(action),
    transition: plan.transition,
    recoveryCheckpointSource: plan.restored?.source ?? null,
    ...(plan.request.attribution === undefined ? {} : { attribution: plan.request.attribution }),
  };
}

function recoveryReportOf(plan: ControlPlan, nowUnixMs: number, diagnostics: string[]): RecoveryReportToWrite {
  const replayedActions = plan.replay?.replayed_actions;
  if (replayedActions == null) throw new Error('a recovery report needs a replay that kept the actions');
  return buildRecoveryReport({
    recoveredAtUnixMs: nowUnixMs,
    principal: plan.principal,
    priorControlState: plan.reconciled.state,
    trainingStatus: plan.snapshot.trainingStatus,
    replayedActions,
    crashDetected: plan.crashDetected,
    restored: plan.restored,
    additionalDiagnostics: diagnostics,
  });
}

function outcomeOf(
  plan: ControlPlan,
  controlState: ControlState | undefined,
  recoveryReport: RecoveryReportFields | undefined,
  diagnostics: string[],
): ControlOutcome {
  const report = buildControlReport({
    stateDir: plan.request.stateDir,
    action: plan.request.action,
    principal: plan.principal,
    transition: plan.transition,
    rollbackCheckpointRunId: plan.rollbackCheckpointRunId,
    recoveryReport,
    controlState,
    trainingStatus: plan.snapshot.trainingStatus,
  });
  return { report, text: renderControlReportText(report), diagnostics };
}

/** Resume's outcome carries the report it wrote (a dry run: would write); its diagnostics are the operator's. */
function resumeOutcomeOf(
  plan: ControlPlan,
  controlState: ControlState,
  recoveryReport: RecoveryReportToWrite,
  warnings: string[] = [],
): ControlOutcome {
  const diagnostics = [...recoveryReport.diagnostics, ...warnings];
  const outcome = { ...outcomeOf(plan, controlState, recoveryReport, diagnostics), recoveryReport };
  return plan.restoredCheckpoint === null ? outcome : { ...outcome, restoredCheckpoint: plan.restoredCheckpoint };
}

function reportStatus(plan: ControlPlan): ControlOutcome {
  return outcomeOf(plan, plan.reconciled.state, plan.snapshot.recoveryReport, plan.diagnostics);
}

/** A dry run reports what a resume would write, and writes nothing. */
function reportDryRun(plan: ControlPlan, nowUnixMs: number): ControlOutcome {
  const diagnostics = [...plan.diagnostics, DRY_RUN_DIAGNOSTIC];
  const recoveryReport = recoveryReportOf(plan, nowUnixMs, diagnostics);
  // No append, so no audit head to record: the state shown leaves `audit_head` out.
  const controlState = buildNextControlState(commitInput(plan, nowUnixMs), undefined);
  return resumeOutcomeOf(plan, controlState, recoveryReport);
}

/**
 * The commit, in DESIGN.md's order. Each step is durable before the next
 * starts; a crash between any two leaves a state the next command recovers
 * from (README.md, "Crash points").
 */
function commitControlCommand(plan: ControlPlan, now: () => number): ControlOutcome {
  if (plan.tail === null) throw new Error('a mutating command needs a checked audit log');
  const nowUnixMs = now();
  const diagnostics: string[] = [];
  // 0. A recovery report left pending by a crash: installed if a committed row names it, else moved aside.
  const settled = settlePendingRecoveryReport(plan.paths, plan.replay?.last_mutating_row?.row ?? null, nowUnixMs);
  if (settled !== null) diagnostics.push(settled);
  // 1. A torn tail first: appending after it would glue our row onto the torn bytes.
  const tornTail = plan.replay?.torn_tail ?? null;
  if (tornTail !== null) {
    const repair = repairTornTail(plan.paths.controlAudit, now);
    if (repair !== null) diagnostics.push(describeTornTailRepaired(tornTail, repair));
  }
  diagnostics.push(...plan.diagnostics);
  // 2. The recovery report (resume only), complete under its pending name; streamed in
  //    pieces, since with one action per audit row its text would be tens of MB.
  let recoveryReport: RecoveryReportToWrite | undefined;
  let reportDigest: string | undefined;
  if (plan.request.action === 'resume') {
    recoveryReport = recoveryReportOf(plan, nowUnixMs, diagnostics);
    reportDigest = writePendingRecoveryReport(plan.paths, recoveryReport);
  }
  // 3. The audit row (carrying the report's digest): the commit point. Then the report
  //    into place, the control state, the head file; after the row, failures are warnings.
  const input = commitInput(plan, nowUnixMs);
  const row = buildAuditRow(input);
  if (reportDigest !== undefined) row[RECOVERY_REPORT_DIGEST_KEY] = reportDigest;
  let controlState: ControlState | undefined;
  const committed = commitAuditRow({
    paths: plan.paths,
    row,
    tail: { row_count: plan.tail.row_count, last_row_sha256: plan.tail.last_row_sha256 },
    acceptedFindings: plan.acceptedFindings,
    afterCommit: (head) => {
      controlState = buildNextControlState(input, head);
      const state = controlState;
      const writes = [
        {
          label: `control state '${plan.paths.controlState}'`,
          run: () => replaceFileAtomically(plan.paths.controlState, serializeControlState(state)),
        },
      ];
      if (reportDigest !== undefined) {
        writes.unshift({ label: `recovery report '${plan.paths.recoveryReport}'`, run: () => installPendingRecoveryReport(plan.paths) });
      }
      return writes;
    },
  });
  diagnostics.push(...committed.warnings);
  const finalState = controlState ?? buildNextControlState(input, committed.head);
  return recoveryReport === undefined
    ? outcomeOf(plan, finalState, plan.snapshot.recoveryReport, diagnostics)
    : resumeOutcomeOf(plan, finalState, recoveryReport, committed.warnings);
}
