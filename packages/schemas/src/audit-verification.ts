import * as z from 'zod/mini';
import { auditHeadSchema } from './audit-head.js';

/** A finding of `audit verify`: `line` is 1-based (blank lines counted), null for the whole log. */
export const auditFindingSchema = z.object({
  kind: z.string(),
  line: z.nullable(z.number()),
  detail: z.string(),
});

/** The `tau-po audit verify --json` document (@tau/audit-log `AuditVerification`). */
export const auditVerificationSchema = z.object({
  path: z.string(),
  ok: z.boolean(),
  rows: z.number(),
  chained_rows: z.number(),
  unchained_rows: z.number(),
  unchained_ranges: z.array(z.object({ first_line: z.number(), last_line: z.number() })),
  head: auditHeadSchema,
  expected_head: z.nullable(auditHeadSchema),
  problems: z.array(auditFindingSchema),
  problems_not_listed: z.number(),
  notices: z.array(auditFindingSchema),
});
/** The `tau-po audit verify --json` document. */
export type AuditVerificationDocument = z.infer<typeof auditVerificationSchema>;
