/**
 * @tau/schemas: zod schemas, inferred types, strict readers and byte-exact
 * serializers for every Tau control-plane artifact, plus their JSON Schema.
 */
export {
  CHECKPOINT_VERSION,
  CONTROL_AUDIT_FILE,
  CONTROL_AUDIT_HEAD_FILE,
  CONTROL_STATE_FILE,
  DEFAULT_RBAC_POLICY_PATH,
  DEFAULT_STATE_DIR,
  FALLBACK_CHECKPOINT_FILE,
  PRIMARY_CHECKPOINT_FILE,
  RECOVERY_REPORT_FILE,
  SCHEMA_VERSION,
  TRAINING_STATUS_FILE,
} from './constants.js';
export {
  auditOperatorActionSchema,
  checkpointSourceSchema,
  type AuditOperatorAction,
  controlActionSchema,
  lifecycleStateSchema,
  type CheckpointSource,
  type ControlAction,
  type LifecycleState,
} from './enums.js';
export { u64Schema } from './u64.js';
export { sha256HexSchema } from './sha256-hex.js';
export { parseJsonStrict, InvalidJsonTextError } from './strict-json.js';
export type { JsonLocation } from './json-location.js';
export {
  ArtifactParseError,
  ArtifactReadError,
  ArtifactSerializeError,
  ArtifactValidationError,
  UnsupportedSchemaVersionError,
  type ArtifactKind,
  type FieldProblem,
} from './artifact-errors.js';
export { formatErrorChain } from './error-chain.js';
export { escapeTerminalText } from './terminal-text.js';
export { unixMsText } from './unix-time-text.js';
export { describeFileKind, fileKindOf, type FileKind } from './file-kind.js';
export {
  SMALL_FILE_MAX_BYTES,
  FileTooLargeError,
  NotRegularFileError,
  openRegularFile,
  readRegularFile,
  readRegularFileIfExists,
  type BoundedReadOptions,
  type OpenRegularFile,
  type RegularFileOpenOptions,
} from './regular-file-read.js';
export { ARTIFACT_MAX_BYTES, validateJsonValue } from './artifact-codec.js';
export { auditHeadSchema, type AuditHead } from './audit-head.js';
export {
  auditHeadFileSchema,
  parseAuditHeadFile,
  readAuditHeadFile,
  serializeAuditHeadFile,
  type AuditHeadFile,
} from './audit-head-file.js';
export {
  controlStateSchema,
  parseControlState,
  readControlState,
  serializeControlState,
  type ControlState,
} from './control-state.js';
export {
  auditReplayRowSchema,
  auditRowSchema,
  auditOperatorRowSchema,
  serializeAuditRow,
  type AuditOperatorRow,
  type AppendableAuditRow,
  type AuditReplayRow,
  type AuditRow,
} from './audit-row.js';
export {
  parseTrainingStatus,
  readTrainingStatus,
  rlOptimizerStatusSchema,
  serializeTrainingStatus,
  trainingStatusSchema,
  type RlOptimizerStatus,
  type TrainingStatus,
} from './training-status.js';
export {
  parseRecoveryReport,
  priorLifecycleStateSchema,
  readRecoveryReport,
  recoveryReportSchema,
  serializeRecoveryReport,
  serializeRecoveryReportChunks,
  type PriorLifecycleState,
  type RecoveryReport,
  type RecoveryReportToWrite,
  type ReplayedActionSequence,
} from './recovery-report.js';
/** The recovery report validated in full but read without its `replayed_actions` (what every command reads). */
export {
  parseRecoveryReportWithoutActions,
  readRecoveryReportWithoutActions,
  type RecoveryReportWithoutActions,
} from './recovery-report-without-actions.js';
export type { TauJsonStringCodes } from './tau-json-writer.js';
export {
  POLICY_CHECKPOINT_KEYS,
  policyCheckpointHeaderSchema,
  type PolicyCheckpoint,
  type PolicyCheckpointHeader,
} from './policy-checkpoint.js';
export {
  parseRbacPolicy,
  rbacBindingSchema,
  rbacPolicySchema,
  rbacRoleSchema,
  type RbacBinding,
  type RbacPolicy,
  type RbacRole,
} from './rbac-policy.js';
export { controlReportSchema, serializeControlReport, type ControlReport } from './control-report.js';
export { exportJsonSchemas } from './json-schema-export.js';
export { doctorCheckSchema, doctorReportSchema, lockHolderSchema, type DoctorReportDocument } from './doctor-report.js';
export { auditFindingSchema, auditVerificationSchema, type AuditVerificationDocument } from './audit-verification.js';
export {
  rbacCheckReportSchema,
  rbacReasonCodeSchema,
  rbacWhoamiReportSchema,
  type RbacCheckReportDocument,
  type RbacWhoamiReportDocument,
} from './rbac-reports.js';
/** The control API's request and response documents (`tau-po serve`). */
export * from './api/index.js';
