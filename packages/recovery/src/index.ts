/**
 * @tau/recovery: what the control commands do. Pure decisions (lifecycle
 * transition, crash detection, reconciliation, the reports and the text
 * line) and one executor that authorizes, locks, loads, replays, reconciles,
 * decides and commits in DESIGN.md's order; plus the operator commands
 * (`doctor`, `audit verify|repair|timeline`, `checkpoint inspect|verify`,
 * `rbac check|whoami`). Nothing here reads argv; the CLI builds requests.
 */

/** A control command as the CLI parsed it (zod schema + type), and its validation (`UsageError`). */
export { controlRequestSchema, parseControlRequest, type ControlRequest } from './control-request.js';
/** Runs one control command (status, pause, resume, cancel, rollback, resume --dry-run). */
export {
  runControlCommand,
  DRY_RUN_DIAGNOSTIC,
  type ControlOutcome,
  type ControlCommandOptions,
} from './control-command.js';
/** The control command's `--json` document (CLI stdout, control API body). */
export { renderControlJsonDocument } from './control-json-document.js';

/** Pure: the lifecycle state, idempotency and rollback checkpoint an action produces. */
export {
  decideLifecycleTransition,
  TARGET_LIFECYCLE_STATE,
  MISSING_CONTROL_STATE_LIFECYCLE,
  type LifecycleTransition,
} from './lifecycle-transition.js';
/** Pure: whether resume finds a crash to recover. */
export { detectCrash, TERMINAL_TRAINING_RUN_STATES } from './crash-detection.js';
/** Pure: the committed control state from the state file and the audit log. */
export {
  reconcileControlState,
  type AuditLogPosition,
  type ReconciledControlState,
} from './control-state-reconcile.js';
/** Pure: `recovery-report.json`'s content. */
export {
  buildRecoveryReport,
  NO_CRASH_DIAGNOSTIC,
  type RecoveryReportInput,
  type RestoredCheckpoint,
} from './recovery-report-builder.js';
/** Pure: the audit row and the next control state one command commits. */
export {
  buildAuditRow,
  buildNextControlState,
  type AuditAttribution,
  type CommitRecordInput,
} from './commit-records.js';
/** Pure: the `--json` document and the one-line text output. */
export {
  buildControlReport,
  renderControlReportText,
  type ControlReportInput,
  type RecoveryReportFields,
} from './control-report.js';
/** Artifact paths of a state directory, spelled as the operator gave the directory. */
export { joinStateDirPath, stateDirPaths, type StateDirPaths } from './state-dir-paths.js';
export { requireExistingStateDir, StateDirMissingError } from './state-dir-presence.js';

/** Errors with exit statuses, and the exit status of any error (walks the cause chain). */
export {
  AuthorizationDeniedError,
  AuthorizationUnavailableError,
  EXIT_CODES,
  exitCodeForError,
  RecoveryGuardrailError,
  RollbackCheckpointLoadError,
  StateFileUnwritableError,
  AuditLogUnverifiedError,
  UsageError,
  type ExitCode,
} from './control-errors.js';
/** The one mapping of an error to its exit code, HTTP status and error document (CLI and control API). */
export {
  describeControlError,
  HTTP_STATUS_FOR_EXIT_CODE,
  type ControlErrorDocument,
  type DescribedControlError,
} from './control-error-document.js';

/** `doctor`: every artifact checked, and whether a resume would succeed now. */
export {
  diagnoseStateDir,
  renderDoctorReport,
  type DoctorCheck,
  type DoctorReport,
  type DoctorRequest,
} from './state-dir-doctor.js';
/** `audit verify|repair|timeline`. */
export {
  AUDIT_REPAIR_ACTION,
  auditTimelineCommand,
  auditVerifyCommand,
  renderAuditVerifyText,
  repairAuditLogCommand,
  type AuditRepairOutcome,
  type AuditRepairRequest,
  type AuditVerifyOutcome,
} from './audit-log-commands.js';
/** `lock status|break`: the state-directory lock's holder and verdict; the operator's audited break. */
export {
  breakLockCommand,
  LOCK_BREAK_ACTION,
  LockBreakRefusedError,
  LockBreakUnrecordedError,
  lockStatusCommand,
  renderLockBreak,
  renderLockStatus,
  type LockBreakOutcome,
  type LockBreakRequest,
  type LockStatusReport,
} from './lock-commands.js';
/** The one path for audit rows recording an operator's act (`lock_break`): chained append, head recorded. */
export { commitOperatorAuditRow } from './operator-audit-commit.js';
/** `audit accept --reason`: accepts what `audit verify` found, as an audited row; re-bases the head file. */
export { auditAcceptCommand, buildAuditAcceptRow, type AuditAcceptRequest, type AuditAcceptOutcome } from './audit-accept-command.js';
/** `audit verify` for a state directory: chain vs our head file, missing files, accepted history. */
export {
  verifyStateDirAuditLog,
  AUDIT_ACCEPT_ACTION,
  type StateDirAuditVerification,
  type AcceptedHistoryEntry,
} from './state-dir-audit-verification.js';
/** The one commit path for any audit row: row (commit point) -> post-commit writes -> head file. */
export { commitAuditRow, type AuditCommit, type CommittedAuditRow, type PostCommitWrite } from './audit-commit.js';
/** Resume's recovery report, committed by its row's digest; roll-forward of a pending one. */
export { inspectPendingRecoveryReport, RECOVERY_REPORT_DIGEST_KEY } from './pending-recovery-report.js';
/** `checkpoint inspect <file>`: the loaded header and sizes, or the loader's error. */
export { inspectCheckpoint } from './checkpoint-commands.js';
/** `checkpoint verify <file>`: @tau/checkpoint-store's report (never throws for a bad file). */
export { verifyCheckpoint, type CheckpointVerification, type LoadedCheckpoint } from '@tau/checkpoint-store';
/** `rbac check|whoami`. */
export {
  rbacCheckActionKeyOf,
  rbacCheckCommand,
  rbacWhoamiCommand,
  rbacWhoamiReport,
  type RbacCheckRequest,
  type RbacWhoami,
} from './rbac-commands.js';
/** The `rbac check` document (from @tau/rbac). */
export type { RbacCheckReport } from '@tau/rbac';
