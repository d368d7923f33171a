/** Every reason code a decision can carry, in the order Tau evaluates them (the policy-missing denial is ours). */
export const RBAC_REASON_CODES = [
  'deny_policy_missing',
  'allow_team_mode_disabled',
  'deny_principal_missing',
  'deny_unbound_principal',
  'deny_role_policy',
  'allow_role_policy',
  'deny_no_matching_allow',
] as const;

/** Why a decision came out as it did; Tau's codes plus `deny_policy_missing`. */
export type RbacReasonCode = (typeof RBAC_REASON_CODES)[number];

/**
 * The answer to "may principal P perform action A". `matched_role` and
 * `matched_pattern` are set for `deny_role_policy` / `allow_role_policy`
 * (the role and the action pattern that decided) and null otherwise.
 */
export interface RbacDecision {
  allowed: boolean;
  reason_code: RbacReasonCode;
  matched_role: string | null;
  matched_pattern: string | null;
}
