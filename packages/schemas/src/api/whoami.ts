import * as z from 'zod/mini';
import { rbacWhoamiReportSchema } from '../rbac-reports.js';

/** `GET /api/v1/runs/:run/whoami`: `rbac whoami --json` for the token's principal and the run's policy, plus how it was authenticated. */
export const apiWhoamiSchema = z.object({
  ...rbacWhoamiReportSchema.def.shape,
  auth: z.string(),
});
/** `GET /api/v1/runs/:run/whoami`. */
export type ApiWhoami = z.infer<typeof apiWhoamiSchema>;
