import * as z from 'zod/mini';

/** Every reason code an RBAC decision carries (Tau's, plus `deny_policy_missing`). */
export const rbacReasonCodeSchema = z.enum([
  'deny_policy_missing',
  'allow_team_mode_disabled',
  'deny_principal_missing',
  'deny_unbound_principal',
  'deny_role_policy',
  'allow_role_policy',
  'deny_no_matching_allow',
]);

/** The `tau-po rbac check --json` document. */
export const rbacCheckReportSchema = z.object({
  principal: z.string(),
  action: z.string(),
  allowed: z.boolean(),
  reason_code: rbacReasonCodeSchema,
  matched_role: z.nullable(z.string()),
  matched_pattern: z.nullable(z.string()),
  policy_path: z.string(),
});
/** The `tau-po rbac check --json` document. */
export type RbacCheckReportDocument = z.infer<typeof rbacCheckReportSchema>;

/** The `tau-po rbac whoami --json` document: the principal, where it came from, and a decision per control action. */
export const rbacWhoamiReportSchema = z.object({
  principal: z.string(),
  source: z.enum(['given', 'local']),
  policy_path: z.string(),
  decisions: z.array(rbacCheckReportSchema),
});
/** The `tau-po rbac whoami --json` document. */
export type RbacWhoamiReportDocument = z.infer<typeof rbacWhoamiReportSchema>;
