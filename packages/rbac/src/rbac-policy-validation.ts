import { SCHEMA_VERSION, UnsupportedSchemaVersionError, type RbacPolicy } from '@tau/schemas';
import { RbacPolicyError, RbacPolicyRuleError } from './rbac-policy-errors.js';
import { isBlankForTau } from './tau-whitespace.js';

/**
 * Checks the rules Tau checks after the file's shape (which @tau/schemas
 * checks): the schema version, then each binding in file order (blank
 * principal, principal bound twice, no roles, blank role id), then each role
 * (blank id, neither allow nor deny). The first broken rule throws
 * `RbacPolicyError` (`invalid rbac policy '<path>'`) caused by the rule.
 */
export function validateRbacPolicy(policy: RbacPolicy, policyPath: string): void {
  const problem = findPolicyProblem(policy, policyPath);
  if (problem !== undefined) throw new RbacPolicyError('invalid', policyPath, { cause: problem });
}

function findPolicyProblem(policy: RbacPolicy, policyPath: string): Error | undefined {
  // The type says 1, but a policy built in code (tests, callers) is not parsed.
  const version: number = policy.schema_version;
  if (version !== SCHEMA_VERSION) {
    return new UnsupportedSchemaVersionError('rbac_policy', version, SCHEMA_VERSION, policyPath);
  }
  const boundPrincipals = new Set<string>();
  for (const [index, binding] of policy.bindings.entries()) {
    if (isBlankForTau(binding.principal)) {
      return new RbacPolicyRuleError(`binding principal must not be empty (bindings[${index}])`);
    }
    if (boundPrincipals.has(binding.principal)) {
      return new RbacPolicyRuleError(
        `principal '${binding.principal}' is bound more than once; merge roles into one binding`,
      );
    }
    boundPrincipals.add(binding.principal);
    if (binding.roles.length === 0) {
      return new RbacPolicyRuleError(`binding for principal '${binding.principal}' must list at least one role`);
    }
    if (binding.roles.some(isBlankForTau)) {
      return new RbacPolicyRuleError(`binding for principal '${binding.principal}' has an empty role id`);
    }
  }
  for (const [roleId, role] of Object.entries(policy.roles)) {
    if (isBlankForTau(roleId)) return new RbacPolicyRuleError('role id must not be empty');
    if ((role.allow ?? []).length === 0 && (role.deny ?? []).length === 0) {
      return new RbacPolicyRuleError(`role '${roleId}' must define at least one allow or deny rule`);
    }
  }
  return undefined;
}
