import type { ControlAction, ControlReport, ControlState, RecoveryReport, TrainingStatus } from '@tau/schemas';
import { CONTROL_AUDIT_FILE, CONTROL_STATE_FILE, escapeTerminalText, RECOVERY_REPORT_FILE } from '@tau/schemas';
import type { LifecycleTransition } from './lifecycle-transition.js';
import { joinStateDirPath } from './state-dir-paths.js';

/**
 * What the output reads from a recovery report: the four `recovery_*` fields
 * and, for resume, the restored checkpoint's run id. A full report fits; a
 * command that only reports on the one on disk keeps just these (its
 * `replayed_actions` can hold a million entries).
 */
export type RecoveryReportFields = Pick<
  RecoveryReport,
  'checkpoint_source' | 'crash_detected' | 'replayed_audit_events' | 'checkpoint_run_id'
>;

/** Everything the `--json` document of one control command is made of. */
export interface ControlReportInput {
  /** The state directory as the operator gave it. */
  stateDir: string;
  action: ControlAction;
  principal: string;
  transition: LifecycleTransition;
  /** `run_id` of the validated rollback checkpoint (rollback only). */
  rollbackCheckpointRunId?: string | null;
  /** The recovery report on disk after the action: for `resume` the one it wrote (for a dry run: would write). */
  recoveryReport: RecoveryReportFields | undefined;
  /** The control state after the action (for `status`: the reconciled current one). */
  controlState: ControlState | undefined;
  trainingStatus: TrainingStatus | undefined;
}

/**
 * `checkpoint_run_id` names the checkpoint *this action* loaded, as Tau
 * reports it: the rollback checkpoint's `run_id` for `rollback`, the restored
 * one's for `resume` (null when it restored none), null for every other
 * action. Unlike the four `recovery_*` fields it does not come from an older
 * report on disk: a pause after a restoring resume loaded no checkpoint.
 */
function checkpointRunIdOf(input: ControlReportInput): string | null {
  if (input.action === 'rollback') return input.rollbackCheckpointRunId ?? null;
  if (input.action === 'resume') return input.recoveryReport?.checkpoint_run_id ?? null;
  return null;
}

/**
 * Builds the `--json` document (pure; REFERENCE.md "Output"). The four
 * `recovery_*` fields come from the recovery report for every action, null
 * when there is none; `checkpoint_run_id` is this action's (see
 * `checkpointRunIdOf`).
 */
export function buildControlReport(input: ControlReportInput): ControlReport {
  const report = input.recoveryReport;
  const checkpointRunId = checkpointRunIdOf(input);
  return {
    schema_version: 1,
    state_dir: input.stateDir,
    control_state_path: joinStateDirPath(input.stateDir, CONTROL_STATE_FILE),
    control_audit_path: joinStateDirPath(input.stateDir, CONTROL_AUDIT_FILE),
    action: input.action,
    principal: input.principal,
    idempotent: input.transition.idempotent,
    rollback_checkpoint: input.transition.rollback_checkpoint,
    checkpoint_run_id: checkpointRunId,
    recovery_report_path: report === undefined ? null : joinStateDirPath(input.stateDir, RECOVERY_REPORT_FILE),
    recovery_checkpoint_source: report?.checkpoint_source ?? null,
    recovery_crash_detected: report?.crash_detected ?? null,
    recovery_replayed_audit_events: report?.replayed_audit_events ?? null,
    control_state: input.controlState ?? null,
    training_status: input.trainingStatus ?? null,
  };
}

/**
 * Renders the one-line text output (pure; no trailing newline), exactly
 * REFERENCE.md's line. Absent values print as `unknown` (lifecycle),
 * `missing` (training state), `n/a` (idempotent, crash flag, event count)
 * and `none` (the rest). Every value is escaped (`escapeTerminalText`): the
 * line stays one line whatever the files and flags hold.
 */
export function renderControlReportText(report: ControlReport): string {
  const e = escapeTerminalText;
  const none = (value: string | null | undefined): string => (value === null || value === undefined ? 'none' : e(value));
  const notApplicable = (value: boolean | number | null | undefined): string =>
    value === null || value === undefined ? 'n/a' : String(value);
  return [
    'prompt optimization lifecycle control:',
    `action=${report.action}`,
    `principal=${e(report.principal)}`,
    `lifecycle_state=${report.control_state?.lifecycle_state ?? 'unknown'}`,
    `training_run_state=${e(report.training_status?.run_state ?? 'missing')}`,
    `idempotent=${notApplicable(report.idempotent)}`,
    `rollback_checkpoint=${none(report.rollback_checkpoint)}`,
    `checkpoint_run_id=${none(report.checkpoint_run_id)}`,
    `recovery_report=${none(report.recovery_report_path)}`,
    `recovery_checkpoint_source=${none(report.recovery_checkpoint_source)}`,
    `recovery_crash_detected=${notApplicable(report.recovery_crash_detected)}`,
    `recovery_replayed_audit_events=${notApplicable(report.recovery_replayed_audit_events)}`,
    `state_dir=${e(report.state_dir)}`,
    `state_file=${e(report.control_state_path)}`,
    `audit_file=${e(report.control_audit_path)}`,
  ].join(' ');
}
