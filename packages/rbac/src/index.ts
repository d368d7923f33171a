/**
 * @tau/rbac: Tau's RBAC policy file, validated and evaluated by casbin, with
 * Tau's reason codes. A missing policy file denies (Tau would allow).
 */

/** The five `control:rl:*` action keys, and the key of a control action. */
export { CONTROL_ACTION_KEYS, actionKeyFor, type ControlActionKey } from './control-action-keys.js';
/** Resolves the acting principal as Tau does (`TAU_RBAC_LOCAL_ACTOR`, `USER`, `LOGNAME`, sanitised). */
export { resolvePrincipal, type PrincipalEnvironment } from './principal-resolution.js';
/** Reads a policy file into an authorizer; a missing file denies with `deny_policy_missing`. */
export { loadRbacPolicy } from './rbac-policy-loading.js';
/** `loadRbacPolicy` reusing the authorizer while the file is unchanged (for long-running processes). */
export { loadRbacPolicyCached } from './rbac-policy-cache.js';
/** Builds an authorizer from a policy already in memory (no files), and the authorizer's interface. */
export { buildRbacAuthorizer, type RbacAuthorizer } from './rbac-authorizer.js';
/** A decision and its reason codes. */
export { RBAC_REASON_CODES, type RbacDecision, type RbacReasonCode } from './rbac-decision.js';
/** Errors of a policy file that cannot be used, of a broken rule, of a missing file. */
export {
  RbacPolicyError,
  RbacPolicyMissingError,
  RbacPolicyRuleError,
  type RbacPolicyProblem,
} from './rbac-policy-errors.js';
/** A denied control action: `unauthorized rl lifecycle action: principal=<p> action=<key> reason_code=<code>`. */
export { UnauthorizedActionError } from './unauthorized-action-error.js';
/** The `rbac check` JSON document. */
export { buildRbacCheckReport, type RbacCheckReport } from './rbac-check-report.js';
