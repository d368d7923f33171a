import * as z from 'zod/mini';

/** Lifecycle state recorded in the control state and in audit rows. */
export const lifecycleStateSchema = z.enum(['running', 'paused', 'cancelled', 'rollback_requested']);
/** Lifecycle state recorded in the control state and in audit rows. */
export type LifecycleState = z.infer<typeof lifecycleStateSchema>;

/** A control command's action. */
export const controlActionSchema = z.enum(['status', 'pause', 'resume', 'cancel', 'rollback']);
/** A control command's action. */
export type ControlAction = z.infer<typeof controlActionSchema>;

/** Which policy checkpoint a recovery restored from. */
export const checkpointSourceSchema = z.enum(['primary', 'fallback']);
/** Which policy checkpoint a recovery restored from. */
export type CheckpointSource = z.infer<typeof checkpointSourceSchema>;
