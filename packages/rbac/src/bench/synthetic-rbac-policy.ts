import type { RbacPolicy } from '@tau/schemas';

const ACTION_PATTERNS = [
  'control:rl:status',
  'control:rl:pause',
  'control:rl:resume',
  'control:rl:cancel',
  'control:rl:rollback',
  'control:rl:*',
  'control:rl:p*',
  'control:rl:re*',
  'control:*',
];

/** A reproducible pseudo-random source (xorshift32), so every run measures the same policy. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/**
 * A large, valid policy shaped like a real one: mostly exact principals,
 * some prefix patterns (`team-N:*`, `user:1*`), some with a literal `*` in
 * the middle; roles with one to three allow patterns and sometimes a deny.
 */
export function buildSyntheticRbacPolicy(bindingCount: number, roleCount: number, seed: number): RbacPolicy {
  const random = seededRandom(seed);
  const roleIds = Array.from({ length: roleCount }, (_, index) => `role-${String(index).padStart(4, '0')}`);
  const roles: RbacPolicy['roles'] = {};
  for (const roleId of roleIds) {
    const allow = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(random, ACTION_PATTERNS));
    roles[roleId] = random() < 0.2 ? { allow, deny: [pick(random, ['control:rl:rollback', 'control:rl:c*'])] } : { allow };
  }
  const bindings: RbacPolicy['bindings'] = [];
  for (let index = 0; index < bindingCount; index += 1) {
    const shape = random();
    const principal =
      shape < 0.7
        ? `user:${index}`
        : shape < 0.9
          ? `team-${index}:*`
          : shape < 0.95
            ? `svc:a*${index}`
            : `user:${index}*`;
    const roleNames = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(random, roleIds));
    bindings.push({ principal, roles: roleNames });
  }
  return { schema_version: 1, team_mode: true, bindings, roles };
}

/**
 * Principals to ask about: nine in ten match a binding of the policy (exactly
 * or through its pattern, often several bindings at once), one in ten none.
 */
export function syntheticPrincipals(policy: RbacPolicy, count: number, seed: number): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => {
    if (random() < 0.1) return `stranger:${index}`;
    const pattern = pick(random, policy.bindings).principal;
    return pattern.endsWith('*') ? `${pattern.slice(0, -1)}${index}` : pattern;
  });
}
