import { SCHEMA_VERSION, type RbacPolicy } from '@tau/schemas';
import { RbacPolicyError, RbacPolicyRuleError } from './rbac-policy-errors.js';
import { isBlankForTau } from './tau-whitespace.js';

/**
 * Checks the rules Tau checks after the file's shape (which @tau/schemas
 * checks): the schema version, then each binding in file order (blank
 * principal, principal bound twice, no roles, blank role id), then each role
 * (blank id, neither allow nor deny). The first broken rule throws
 * `RbacPolicyError` whose message is Tau's bare message for the rule.
 */
export function validateRbacPolicy(policy: RbacPolicy, policyPath: string): void {
  const problem = findPolicyProblem(policy);
  if (problem !== undefined) throw new RbacPolicyError('invalid', policyPath, { cause: problem });
}

function findPolicyProblem(policy: RbacPolicy): Error | undefined {
  // The type says 1, but a policy built in code (tests, callers) is not parsed.
  const version: number = policy.schema_version;
  if (version !== SCHEMA_VERSION) {
    return new RbacPolicyRuleError(`unsupported rbac schema version ${version} (expected ${SCHEMA_VERSION})`);
  }
  const boundPrincipals = new Set<string>();
  for (const binding of policy.bindings) {
    if (isBlankForTau(binding.principal)) {
      return new RbacPolicyRuleError('rbac binding principal must not be empty');
    }
    if (boundPrincipals.has(binding.principal)) {
      return new RbacPolicyRuleError(
        `duplicate rbac principal binding '${binding.principal}'; merge roles into one binding`,
      );
    }
    boundPrincipals.add(binding.principal);
    if (binding.roles.length === 0) {
      return new RbacPolicyRuleError(`rbac binding for principal '${binding.principal}' must include at least one role`);
    }
    if (binding.roles.some(isBlankForTau)) {
      return new RbacPolicyRuleError(`rbac binding for principal '${binding.principal}' contains empty role id`);
    }
  }
  for (const [roleId, role] of Object.entries(policy.roles)) {
    if (isBlankForTau(roleId)) return new RbacPolicyRuleError('rbac role id must not be empty');
    if ((role.allow ?? []).length === 0 && (role.deny ?? []).length === 0) {
      return new RbacPolicyRuleError(`rbac role '${roleId}' must include at least one allow or deny rule`);
    }
  }
  return undefined;
}
