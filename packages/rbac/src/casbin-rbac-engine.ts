import { Config, Enforcer, FunctionMap, Model, newEnforcerWithClass } from 'casbin';
import type { RbacPolicy } from '@tau/schemas';
import { compareByCodePoint } from './code-point-order.js';
import { PrincipalPatternRoleManager } from './principal-pattern-role-manager.js';
import type { RbacDecision } from './rbac-decision.js';
import { matchesTauPattern } from './tau-pattern.js';

// Principals and role ids live in one casbin name space (`g` links names to
// names); the prefixes keep a principal called `ops` apart from a role `ops`.
const PRINCIPAL_PREFIX = 'principal:';
const ROLE_PREFIX = 'role:';

/**
 * Tau's policy as a casbin model. The effect is deny-override, spelled the
 * one way casbin recognises. The matcher tests the action pattern first: it
 * is a string comparison, while `g()` resolves role links.
 */
export const TAU_RBAC_CASBIN_MODEL = `
[request_definition]
r = sub, act

[policy_definition]
p = sub, act, eft

[role_definition]
g = _, _

[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

[matchers]
m = tauPatternMatch(r.act, p.act) && g(r.sub, p.sub)
`;

// The model text parsed once per process, at the first build (a tau-po
// startup snapshot stores it parsed: its warm-up builds an engine). The
// parsed text is read-only; each engine still gets its own Model, which
// casbin fills with that engine's rules.
let tauModelConfig: Config | undefined;

/** A fresh casbin Model of TAU_RBAC_CASBIN_MODEL, without parsing the text again. */
function newTauRbacModel(): Model {
  tauModelConfig ??= Config.newConfigFromText(TAU_RBAC_CASBIN_MODEL);
  const model = new Model();
  model.loadModelFromConfig(tauModelConfig);
  return model;
}

/**
 * casbin's enforcer with only the functions our matcher calls. casbin copies
 * every registered function into the evaluation context of every policy rule
 * on every decision; the eleven built-ins (keyMatch..., regexMatch, ipMatch,
 * globMatch) go unused here, yet would be copied for each of thousands of rules
 * per decision. `fm` is protected, so a subclass is the supported way to
 * replace it.
 */
class TauRbacEnforcer extends Enforcer {
  useOnlyAddedFunctions(): void {
    this.fm = new FunctionMap();
  }
}

/** The casbin rules of a policy, in the order that makes casbin report the rule Tau reports. */
export interface CasbinRbacRules {
  /** `[principal pattern, role]` per role of each binding (`g`). */
  groupingRules: string[][];
  /** `[role, action pattern, allow|deny]` (`p`). */
  policyRules: string[][];
}

/**
 * Tau reports the first matching rule with roles sorted by name and patterns
 * in file order. casbin's deny-override effect stops at the first matching
 * deny (and explains it) but explains the *last* matching allow, so deny
 * rules go first in Tau's order and allow rules follow in reverse order.
 */
export function casbinRulesForPolicy(policy: RbacPolicy): CasbinRbacRules {
  const groupingRules: string[][] = [];
  for (const binding of policy.bindings) {
    for (const roleId of new Set(binding.roles)) {
      groupingRules.push([PRINCIPAL_PREFIX + binding.principal, ROLE_PREFIX + roleId]);
    }
  }
  const roleIds = Object.keys(policy.roles).sort(compareByCodePoint);
  const denyRules: string[][] = [];
  const allowRules: string[][] = [];
  for (const roleId of roleIds) {
    const role = policy.roles[roleId];
    // A pattern listed twice is one rule; casbin's addPolicies refuses duplicates.
    for (const pattern of new Set(role?.deny ?? [])) denyRules.push([ROLE_PREFIX + roleId, pattern, 'deny']);
    for (const pattern of new Set(role?.allow ?? [])) allowRules.push([ROLE_PREFIX + roleId, pattern, 'allow']);
  }
  return { groupingRules, policyRules: [...denyRules, ...allowRules.reverse()] };
}

/** casbin's `g` pattern function: a requested principal against a binding's principal pattern. */
function matchesPrincipalPattern(subject: string, bindingPattern: string): boolean {
  return (
    subject.startsWith(PRINCIPAL_PREFIX) &&
    bindingPattern.startsWith(PRINCIPAL_PREFIX) &&
    matchesTauPattern(subject.slice(PRINCIPAL_PREFIX.length), bindingPattern.slice(PRINCIPAL_PREFIX.length))
  );
}

/**
 * A casbin enforcer holding one policy in memory (no adapter, no file), and
 * the role manager behind its `g`. Answers steps 3 to 6 of Tau's evaluation;
 * team mode and blank principals are decided before it is asked.
 */
export class CasbinRbacEngine {
  private constructor(
    private readonly enforcer: Enforcer,
    private readonly roleManager: PrincipalPatternRoleManager,
  ) {}

  /** Builds the enforcer for an already validated policy. */
  static async build(policy: RbacPolicy): Promise<CasbinRbacEngine> {
    const enforcer = await newEnforcerWithClass(TauRbacEnforcer, newTauRbacModel());
    enforcer.useOnlyAddedFunctions();
    const roleManager = new PrincipalPatternRoleManager();
    enforcer.setRoleManager(roleManager);
    await enforcer.addFunction('tauPatternMatch', matchesTauPattern);
    await enforcer.addNamedMatchingFunc('g', matchesPrincipalPattern);
    const { groupingRules, policyRules } = casbinRulesForPolicy(policy);
    if (groupingRules.length > 0 && !(await enforcer.addGroupingPolicies(groupingRules))) {
      throw new Error('casbin refused the policy bindings');
    }
    if (policyRules.length > 0 && !(await enforcer.addPolicies(policyRules))) {
      throw new Error('casbin refused the policy role rules');
    }
    return new CasbinRbacEngine(enforcer, roleManager);
  }

  /**
   * Tau's steps 3 to 6 for a non-blank principal: unbound, role deny, role
   * allow, no matching allow. Binding resolution comes from casbin's role
   * manager, the verdict and the deciding rule from `enforceExSync`.
   */
  evaluate(principal: string, actionKey: string): RbacDecision {
    const subject = PRINCIPAL_PREFIX + principal;
    if (this.roleManager.rolesOf(subject).size === 0) {
      return { allowed: false, reason_code: 'deny_unbound_principal', matched_role: null, matched_pattern: null };
    }
    const [allowed, rule] = this.enforcer.enforceExSync(subject, actionKey);
    const [roleSubject, pattern, effect] = rule;
    if (roleSubject === undefined || pattern === undefined) {
      if (allowed) throw new Error('casbin allowed without reporting the rule that allowed');
      return { allowed: false, reason_code: 'deny_no_matching_allow', matched_role: null, matched_pattern: null };
    }
    if (allowed !== (effect === 'allow')) {
      throw new Error(`casbin decided allowed=${allowed} citing a ${effect ?? 'missing'} rule`);
    }
    return {
      allowed,
      reason_code: allowed ? 'allow_role_policy' : 'deny_role_policy',
      matched_role: roleSubject.slice(ROLE_PREFIX.length),
      matched_pattern: pattern,
    };
  }
}
