import { formatErrorChain, type RbacPolicy } from '@tau/schemas';
import { describe, expect, it } from 'vitest';
import { RbacPolicyError } from './rbac-policy-errors.js';
import { validateRbacPolicy } from './rbac-policy-validation.js';

const PATH = '/etc/tau/rbac.json';

function policy(overrides: Partial<RbacPolicy>): RbacPolicy {
  return {
    schema_version: 1,
    team_mode: true,
    bindings: [{ principal: 'local:alice', roles: ['operator'] }],
    roles: { operator: { allow: ['control:rl:*'] } },
    ...overrides,
  };
}

function validationMessage(candidate: RbacPolicy): string | undefined {
  try {
    validateRbacPolicy(candidate, PATH);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(RbacPolicyError);
    expect((error as RbacPolicyError).policyPath).toBe(PATH);
    return formatErrorChain(error);
  }
}

describe('validateRbacPolicy', () => {
  it('accepts a valid policy, undefined roles in bindings and unknown extra keys', () => {
    expect(
      validationMessage(
        policy({
          bindings: [{ principal: 'ci:*', roles: ['operator', 'not-defined'], note: 'kept' }],
          roles: { operator: { deny: ['control:rl:rollback'] }, extra: { allow: ['*'], comment: 'x' } },
        }),
      ),
    ).toBeUndefined();
  });

  it('accepts a policy with no bindings and no roles', () => {
    expect(validationMessage(policy({ bindings: [], roles: {} }))).toBeUndefined();
  });

  it.each<[string, Partial<RbacPolicy>, string]>([
    [
      'another schema version',
      { schema_version: 2 as 1 },
      `unsupported rbac schema version 2 (expected 1)`,
    ],
    [
      'an empty binding principal',
      { bindings: [{ principal: 'ok', roles: ['operator'] }, { principal: '', roles: ['operator'] }] },
      `rbac binding principal must not be empty`,
    ],
    [
      'a whitespace-only binding principal',
      { bindings: [{ principal: ' \u3000', roles: ['operator'] }] },
      `rbac binding principal must not be empty`,
    ],
    [
      'a principal bound twice',
      {
        bindings: [
          { principal: 'local:alice', roles: ['operator'] },
          { principal: 'local:alice', roles: ['viewer'] },
        ],
      },
      `duplicate rbac principal binding 'local:alice'; merge roles into one binding`,
    ],
    [
      'a binding without roles',
      { bindings: [{ principal: 'local:alice', roles: [] }] },
      `rbac binding for principal 'local:alice' must include at least one role`,
    ],
    [
      'a blank role id in a binding',
      { bindings: [{ principal: 'local:alice', roles: ['operator', '  '] }] },
      `rbac binding for principal 'local:alice' contains empty role id`,
    ],
    [
      'a blank role id',
      { roles: { operator: { allow: ['*'] }, ' ': { allow: ['*'] } } },
      `rbac role id must not be empty`,
    ],
    [
      'a role with empty allow and deny',
      { roles: { operator: { allow: [], deny: [] } } },
      `rbac role 'operator' must include at least one allow or deny rule`,
    ],
    [
      'a role with neither allow nor deny',
      { roles: { viewer: {} } },
      `rbac role 'viewer' must include at least one allow or deny rule`,
    ],
  ])('rejects %s', (_label, overrides, expected) => {
    expect(validationMessage(policy(overrides))).toBe(expected);
  });

  it('reports bindings before roles, in file order', () => {
    const message = validationMessage(
      policy({
        bindings: [
          { principal: 'a', roles: [] },
          { principal: '', roles: ['x'] },
        ],
        roles: { broken: {} },
      }),
    );
    expect(message).toBe(`rbac binding for principal 'a' must include at least one role`);
  });

  it('treats principals that differ only in surrounding whitespace as distinct patterns', () => {
    expect(
      validationMessage(
        policy({
          bindings: [
            { principal: 'local:alice', roles: ['operator'] },
            { principal: ' local:alice', roles: ['operator'] },
          ],
        }),
      ),
    ).toBeUndefined();
  });
});
