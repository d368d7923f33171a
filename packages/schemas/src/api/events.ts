import * as z from 'zod/mini';
import { controlStateSchema } from '../control-state.js';
import { trainingStatusSchema } from '../training-status.js';
import { apiAuditPageRowSchema } from './audit-page.js';

/** The event names of `GET /api/v1/runs/:run/events`. */
export const apiEventNameSchema = z.enum(['audit', 'state', 'status']);
/** An event name. */
export type ApiEventName = z.infer<typeof apiEventNameSchema>;

/** `event: audit` data (its `id:` is the row number): one audit page row. */
export const apiAuditEventSchema = apiAuditPageRowSchema;
/** `event: state` data: the control state now (null when there is none or it does not parse). */
export const apiStateEventSchema = z.object({ control_state: z.nullable(controlStateSchema) });
/** `event: status` data: the training status now (null when there is none or it does not parse). */
export const apiStatusEventSchema = z.object({ training_status: z.nullable(trainingStatusSchema) });
/** `event: state` data. */
export type ApiStateEvent = z.infer<typeof apiStateEventSchema>;
/** `event: status` data. */
export type ApiStatusEvent = z.infer<typeof apiStatusEventSchema>;
