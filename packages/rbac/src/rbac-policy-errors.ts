/** What went wrong with a policy file: it could not be read, is not a valid document, or breaks a policy rule. */
export type RbacPolicyProblem = 'read' | 'parse' | 'invalid';

const PHRASE: Record<Exclude<RbacPolicyProblem, 'invalid'>, string> = {
  read: 'failed to read rbac policy file',
  parse: 'failed to parse rbac policy file',
};

function ruleMessage(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * A policy file that exists but cannot be used. As Tau words it, only reading
 * and parsing are wrapped with the path (`failed to read rbac policy file
 * <path>`, `failed to parse rbac policy file <path>`, with the precise problem
 * as the cause); a broken policy rule is the rule's bare message (`unsupported
 * rbac schema version 2 (expected 1)`), under the caller's context. Never a
 * denial: a broken policy is an operator error to fix, not an answer.
 */
export class RbacPolicyError extends Error {
  override name = 'RbacPolicyError';
  constructor(
    readonly problem: RbacPolicyProblem,
    readonly policyPath: string,
    options: { cause: unknown },
  ) {
    // A broken rule is bare, as in Tau: the rule's own message, no path, no wrapper.
    super(
      problem === 'invalid' ? ruleMessage(options.cause) : `${PHRASE[problem]} ${policyPath}`,
      problem === 'invalid' ? undefined : options,
    );
  }
}

/** One rule of Tau's policy validation that the file breaks, e.g. `role 'ops' must define at least one allow or deny rule`. */
export class RbacPolicyRuleError extends Error {
  override name = 'RbacPolicyRuleError';
}

/** A minimal policy an operator can start from: one principal allowed every control action. */
export const EXAMPLE_RBAC_POLICY = {
  schema_version: 1,
  team_mode: true,
  bindings: [{ principal: 'local:alice', roles: ['operator'] }],
  roles: { operator: { allow: ['control:rl:*'] } },
} as const;

/**
 * No policy file at the path looked for. Tau would allow everything here; we
 * deny, and this message tells the operator where we looked and how to
 * create one.
 */
export class RbacPolicyMissingError extends Error {
  override name = 'RbacPolicyMissingError';
  constructor(readonly policyPath: string) {
    super(
      `rbac policy file '${policyPath}' does not exist, so every control action is denied; ` +
        `create it, for example ${JSON.stringify(EXAMPLE_RBAC_POLICY)} ` +
        `(bind the principal \`tau-po rbac whoami\` prints), or pass --rbac-policy <file>; ` +
        `a policy with "team_mode": false allows every action, as Tau does without a file`,
    );
  }
}
