import * as z from 'zod/mini';
import { rbacReasonCodeSchema } from '../rbac-reports.js';

/**
 * Every error answer of the control API: the CLI's one-line message, its
 * cause chain (outermost first), the exit code the CLI would have returned,
 * and for a denial the RBAC reason code.
 */
export const apiErrorBodySchema = z.object({
  error: z.object({
    message: z.string(),
    chain: z.array(z.string()),
    exit_code: z.number(),
    reason_code: z.optional(rbacReasonCodeSchema),
  }),
});
/** The control API's error body. */
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;
