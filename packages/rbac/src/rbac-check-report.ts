import type { RbacDecision } from './rbac-decision.js';

/** The document `tau-po rbac check --json` prints, keys in this order. */
export interface RbacCheckReport {
  principal: string;
  action: string;
  allowed: boolean;
  reason_code: RbacDecision['reason_code'];
  matched_role: string | null;
  matched_pattern: string | null;
  policy_path: string;
}

/** Assembles the `rbac check` document from a decision (pure; `action` is what the operator asked about). */
export function buildRbacCheckReport(
  principal: string,
  action: string,
  decision: RbacDecision,
  policyPath: string,
): RbacCheckReport {
  return {
    principal,
    action,
    allowed: decision.allowed,
    reason_code: decision.reason_code,
    matched_role: decision.matched_role,
    matched_pattern: decision.matched_pattern,
    policy_path: policyPath,
  };
}
