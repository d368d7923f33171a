import type { RbacPolicy } from '@tau/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRbacAuthorizer } from './rbac-authorizer.js';
import type { RbacDecision } from './rbac-decision.js';

// A direct re-statement of Tau's rule order, written independently of the
// casbin-backed code: plain loops, UTF-8 byte order for "sorted by name".
function tauPatternMatches(value: string, pattern: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.substring(0, pattern.length - 1));
  return value === pattern;
}

function decideByTauRuleOrder(policy: RbacPolicy, principal: string, action: string): RbacDecision {
  const none = { matched_role: null, matched_pattern: null };
  if (!policy.team_mode) return { allowed: true, reason_code: 'allow_team_mode_disabled', ...none };
  if (principal.trim() === '') return { allowed: false, reason_code: 'deny_principal_missing', ...none };
  const roleNames = new Set<string>();
  for (const binding of policy.bindings) {
    if (tauPatternMatches(principal, binding.principal)) for (const role of binding.roles) roleNames.add(role);
  }
  if (roleNames.size === 0) return { allowed: false, reason_code: 'deny_unbound_principal', ...none };
  const sorted = [...roleNames].sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  for (const name of sorted) {
    for (const pattern of policy.roles[name]?.deny ?? []) {
      if (tauPatternMatches(action, pattern)) {
        return { allowed: false, reason_code: 'deny_role_policy', matched_role: name, matched_pattern: pattern };
      }
    }
  }
  for (const name of sorted) {
    for (const pattern of policy.roles[name]?.allow ?? []) {
      if (tauPatternMatches(action, pattern)) {
        return { allowed: true, reason_code: 'allow_role_policy', matched_role: name, matched_pattern: pattern };
      }
    }
  }
  return { allowed: false, reason_code: 'deny_no_matching_allow', ...none };
}

// Small alphabets so that patterns and principals collide often; role names
// include astral and high-BMP characters, where UTF-16 and code point order differ.
const principalText = fc.string({ unit: fc.constantFrom('a', 'b', '*', ' ', 'é'), maxLength: 4 });
const roleName = fc.constantFrom('ops', 'viewer', 'a', 'b', 'Z', '\u{1F600}', '\uFF5A', 'role*');
const actionText = fc.oneof(
  fc.constantFrom('control:rl:status', 'control:rl:pause', 'control:rl:resume', 'control:rl:cancel', 'control:rl:rollback'),
  fc.string({ unit: fc.constantFrom('c', 'o', ':', '*', 'p'), maxLength: 4 }),
);
const actionPattern = fc.oneof(
  fc.constantFrom('*', 'control:rl:*', 'control:*', 'control:rl:p*', 'control:rl:pause', 'control:rl:st*tus', 'c*', ''),
  actionText,
);
const roleDefinition = fc
  .record({ allow: fc.array(actionPattern, { maxLength: 3 }), deny: fc.array(actionPattern, { maxLength: 2 }) })
  .filter((role) => role.allow.length + role.deny.length > 0);
const policyArbitrary: fc.Arbitrary<RbacPolicy> = fc.record({
  schema_version: fc.constant(1 as const),
  team_mode: fc.oneof({ arbitrary: fc.constant(true), weight: 9 }, { arbitrary: fc.constant(false), weight: 1 }),
  bindings: fc.uniqueArray(
    fc.record({
      principal: principalText.filter((text) => text.trim() !== ''),
      roles: fc.array(roleName, { minLength: 1, maxLength: 3 }),
    }),
    { selector: (binding) => binding.principal, maxLength: 6 },
  ),
  roles: fc.dictionary(roleName, roleDefinition, { maxKeys: 6 }),
});

describe('casbin-backed decisions agree with Tau rule order', () => {
  it('on random policies, principals and actions', async () => {
    await fc.assert(
      fc.asyncProperty(
        policyArbitrary,
        fc.array(fc.tuple(principalText, actionText), { minLength: 1, maxLength: 8 }),
        async (policy, requests) => {
          const authorizer = await buildRbacAuthorizer(policy, 'memory://random-policy.json');
          for (const [principal, action] of requests) {
            expect(authorizer.decideSync(principal, action)).toEqual(decideByTauRuleOrder(policy, principal, action));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
