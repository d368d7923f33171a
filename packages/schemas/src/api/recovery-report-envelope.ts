import * as z from 'zod/mini';
import { recoveryReportSchema } from '../recovery-report.js';

/** `GET /api/v1/runs/:run/recovery-report`: the report on disk, or null when resume never wrote one. */
export const apiRecoveryReportEnvelopeSchema = z.object({
  report: z.nullable(recoveryReportSchema),
});
/** `GET /api/v1/runs/:run/recovery-report`. */
export type ApiRecoveryReportEnvelope = z.infer<typeof apiRecoveryReportEnvelopeSchema>;
