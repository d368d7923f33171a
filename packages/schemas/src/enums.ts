import * as z from 'zod/mini';

/** Lifecycle state recorded in the control state and in audit rows. */
export const lifecycleStateSchema = z.enum(['running', 'paused', 'cancelled', 'rollback_requested']);
/** Lifecycle state recorded in the control state and in audit rows. */
export type LifecycleState = z.infer<typeof lifecycleStateSchema>;

/** A control command's action. */
export const controlActionSchema = z.enum(['status', 'pause', 'resume', 'cancel', 'rollback']);
/** A control command's action. */
export type ControlAction = z.infer<typeof controlActionSchema>;

/**
 * Operator acts recorded in the audit log beside the control actions (our
 * extension; Tau's replay counts them as ordinary rows and derives no
 * lifecycle from them).
 */
export const auditOperatorActionSchema = z.enum(['audit_accept', 'lock_break']);
/** An operator act recorded in the audit log. */
export type AuditOperatorAction = z.infer<typeof auditOperatorActionSchema>;

/** Which policy checkpoint a recovery restored from. */
export const checkpointSourceSchema = z.enum(['primary', 'fallback']);
/** Which policy checkpoint a recovery restored from. */
export type CheckpointSource = z.infer<typeof checkpointSourceSchema>;
