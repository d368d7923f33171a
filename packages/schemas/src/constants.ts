/** Schema version Tau writes into, and accepts from, every control-plane artifact. */
export const SCHEMA_VERSION = 1;

/** The only `checkpoint_version` a policy checkpoint may carry. */
export const CHECKPOINT_VERSION = 1;

/** Control state file name inside a state directory. */
export const CONTROL_STATE_FILE = 'control-state.json';

/** Append-only audit log file name inside a state directory. */
export const CONTROL_AUDIT_FILE = 'control-audit.jsonl';

/** Our audit head file beside the log (Tau never touches it): see `audit-head-file.ts`. */
export const CONTROL_AUDIT_HEAD_FILE = 'control-audit.head.json';

/** Training status file name (written by the trainer only). */
export const TRAINING_STATUS_FILE = 'status.json';

/** Recovery report file name (written by `resume`). */
export const RECOVERY_REPORT_FILE = 'recovery-report.json';

/** Primary policy checkpoint file name. */
export const PRIMARY_CHECKPOINT_FILE = 'policy-checkpoint.json';

/** Fallback policy checkpoint file name, tried when the primary fails to load. */
export const FALLBACK_CHECKPOINT_FILE = 'policy-checkpoint.rollback.json';

/** Default state directory, relative to the working directory. */
export const DEFAULT_STATE_DIR = '.tau/training';

/** Default RBAC policy file, relative to the working directory. */
export const DEFAULT_RBAC_POLICY_PATH = '.tau/security/rbac.json';

