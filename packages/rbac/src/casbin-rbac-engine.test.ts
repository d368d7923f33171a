import { describe, expect, it } from 'vitest';
import { CasbinRbacEngine, TAU_RBAC_CASBIN_MODEL, casbinRulesForPolicy } from './casbin-rbac-engine.js';

describe('casbinRulesForPolicy', () => {
  it('puts deny rules first in Tau order and allow rules after in reverse Tau order', () => {
    const rules = casbinRulesForPolicy({
      schema_version: 1,
      team_mode: true,
      bindings: [{ principal: 'ci:*', roles: ['beta', 'alpha', 'beta'] }],
      roles: {
        beta: { allow: ['b1', 'b2'], deny: ['bd'] },
        alpha: { allow: ['a1', 'a1', 'a2'], deny: ['ad1', 'ad2'] },
      },
    });
    expect(rules.groupingRules).toEqual([
      ['principal:ci:*', 'role:beta'],
      ['principal:ci:*', 'role:alpha'],
    ]);
    expect(rules.policyRules).toEqual([
      ['role:alpha', 'ad1', 'deny'],
      ['role:alpha', 'ad2', 'deny'],
      ['role:beta', 'bd', 'deny'],
      ['role:beta', 'b2', 'allow'],
      ['role:beta', 'b1', 'allow'],
      ['role:alpha', 'a2', 'allow'],
      ['role:alpha', 'a1', 'allow'],
    ]);
  });
});

describe('CasbinRbacEngine', () => {
  it("uses casbin's deny-override effect and tests the action before g()", () => {
    expect(TAU_RBAC_CASBIN_MODEL).toContain('e = some(where (p.eft == allow)) && !some(where (p.eft == deny))');
    expect(TAU_RBAC_CASBIN_MODEL).toContain('m = tauPatternMatch(r.act, p.act) && g(r.sub, p.sub)');
  });

  it('keeps a principal apart from a role of the same name', async () => {
    const engine = await CasbinRbacEngine.build({
      schema_version: 1,
      team_mode: true,
      bindings: [{ principal: 'viewer', roles: ['viewer'] }, { principal: 'ops', roles: ['viewer'] }],
      roles: { ops: { allow: ['*'] }, viewer: { allow: ['control:rl:status'] } },
    });
    // Principal "ops" is bound to role viewer only; role "ops" must not apply to it.
    expect(engine.evaluate('ops', 'control:rl:pause').reason_code).toBe('deny_no_matching_allow');
    expect(engine.evaluate('ops', 'control:rl:status')).toEqual({
      allowed: true,
      reason_code: 'allow_role_policy',
      matched_role: 'viewer',
      matched_pattern: 'control:rl:status',
    });
  });

  it('lets a deny and an allow of the same pattern in one role end in a deny', async () => {
    const engine = await CasbinRbacEngine.build({
      schema_version: 1,
      team_mode: true,
      bindings: [{ principal: '*', roles: ['torn'] }],
      roles: { torn: { allow: ['control:rl:pause'], deny: ['control:rl:pause'] } },
    });
    expect(engine.evaluate('anyone', 'control:rl:pause')).toEqual({
      allowed: false,
      reason_code: 'deny_role_policy',
      matched_role: 'torn',
      matched_pattern: 'control:rl:pause',
    });
  });

  it('keeps each engine to its own rules although the model text is parsed once per process', async () => {
    const first = await CasbinRbacEngine.build({
      schema_version: 1,
      team_mode: true,
      bindings: [{ principal: 'alice', roles: ['pauser'] }],
      roles: { pauser: { allow: ['control:rl:pause'] } },
    });
    const second = await CasbinRbacEngine.build({
      schema_version: 1,
      team_mode: true,
      bindings: [{ principal: 'alice', roles: ['canceller'] }],
      roles: { canceller: { allow: ['control:rl:cancel'] } },
    });
    expect(first.evaluate('alice', 'control:rl:pause').matched_role).toBe('pauser');
    expect(first.evaluate('alice', 'control:rl:cancel').reason_code).toBe('deny_no_matching_allow');
    expect(second.evaluate('alice', 'control:rl:cancel').matched_role).toBe('canceller');
    expect(second.evaluate('alice', 'control:rl:pause').reason_code).toBe('deny_no_matching_allow');
  });
});
