import type { RbacPolicy } from '@tau/schemas';
import { CasbinRbacEngine } from './casbin-rbac-engine.js';
import type { RbacDecision } from './rbac-decision.js';
import { RbacPolicyMissingError } from './rbac-policy-errors.js';
import { validateRbacPolicy } from './rbac-policy-validation.js';
import { isBlankForTau } from './tau-whitespace.js';
import { UnauthorizedActionError } from './unauthorized-action-error.js';

/** Answers "may principal P perform action A" for one loaded policy file (or its absence). */
export interface RbacAuthorizer {
  /** The policy file the decisions come from (or that was looked for). */
  readonly policyPath: string;
  /** True when no file was found: every decision is `deny_policy_missing`. */
  readonly policyMissing: boolean;
  /** Why everything is denied when the policy is missing (path looked for, how to create one); null otherwise. */
  readonly missingPolicyError: RbacPolicyMissingError | null;
  /** The decision for a principal (matched exactly as given; see `resolvePrincipal`) and an action key. */
  decide(principal: string, actionKey: string): Promise<RbacDecision>;
  /** `decide` without a promise: casbin is asked through `enforceExSync`. */
  decideSync(principal: string, actionKey: string): RbacDecision;
  /**
   * The decision when it allows; otherwise throws `UnauthorizedActionError`
   * (caused by `missingPolicyError` when the file is missing).
   */
  assertAuthorized(principal: string, actionKey: string): RbacDecision;
}

const TEAM_MODE_DISABLED: RbacDecision = {
  allowed: true,
  reason_code: 'allow_team_mode_disabled',
  matched_role: null,
  matched_pattern: null,
};
const PRINCIPAL_MISSING: RbacDecision = {
  allowed: false,
  reason_code: 'deny_principal_missing',
  matched_role: null,
  matched_pattern: null,
};
const POLICY_MISSING: RbacDecision = {
  allowed: false,
  reason_code: 'deny_policy_missing',
  matched_role: null,
  matched_pattern: null,
};

/**
 * An authorizer for a policy already in memory (no file I/O): validates it
 * (`RbacPolicyError` naming `policyPath`) and builds the casbin enforcer.
 * With `team_mode: false` no enforcer is needed: every decision allows.
 */
export async function buildRbacAuthorizer(policy: RbacPolicy, policyPath: string): Promise<RbacAuthorizer> {
  validateRbacPolicy(policy, policyPath);
  const engine = policy.team_mode ? await CasbinRbacEngine.build(policy) : undefined;
  const decideSync = (principal: string, actionKey: string): RbacDecision => {
    if (engine === undefined) return { ...TEAM_MODE_DISABLED };
    if (isBlankForTau(principal)) return { ...PRINCIPAL_MISSING };
    return engine.evaluate(principal, actionKey);
  };
  return authorizerFrom(policyPath, null, decideSync);
}

/** The fail-closed authorizer used when no policy file exists at `policyPath`. */
export function buildMissingPolicyAuthorizer(policyPath: string): RbacAuthorizer {
  return authorizerFrom(policyPath, new RbacPolicyMissingError(policyPath), () => ({ ...POLICY_MISSING }));
}

function authorizerFrom(
  policyPath: string,
  missingPolicyError: RbacPolicyMissingError | null,
  decideSync: (principal: string, actionKey: string) => RbacDecision,
): RbacAuthorizer {
  return {
    policyPath,
    policyMissing: missingPolicyError !== null,
    missingPolicyError,
    decideSync,
    decide: async (principal, actionKey) => decideSync(principal, actionKey),
    assertAuthorized(principal, actionKey) {
      const decision = decideSync(principal, actionKey);
      if (decision.allowed) return decision;
      throw new UnauthorizedActionError(
        principal,
        actionKey,
        decision.reason_code,
        missingPolicyError === null ? undefined : { cause: missingPolicyError },
      );
    },
  };
}
