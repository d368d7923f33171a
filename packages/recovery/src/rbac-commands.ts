// The `rbac check|whoami` operator commands.
import {
  actionKeyFor,
  buildRbacCheckReport,
  CONTROL_ACTION_KEYS,
  loadRbacPolicy,
  resolvePrincipal,
  type PrincipalEnvironment,
  type RbacCheckReport,
} from '@tau/rbac';
import { controlActionSchema, type RbacWhoamiReportDocument } from '@tau/schemas';
import { UsageError } from './control-errors.js';

/** An `rbac check` question. */
export interface RbacCheckRequest {
  rbacPolicyPath: string;
  /** A control action (`pause`) or an action key (`control:rl:pause`). */
  action: string;
  /** As given; blank or absent resolves to the local principal. */
  principal?: string;
}

/**
 * The action key `rbac check <action>` decides: a control action's name
 * (`pause`) or its key (`control:rl:pause`), as given. Pure.
 *
 * @throws UsageError for anything else.
 */
export function rbacCheckActionKeyOf(action: string): string {
  const parsed = controlActionSchema.safeParse(action);
  if (parsed.success) return actionKeyFor(parsed.data);
  if ((Object.values(CONTROL_ACTION_KEYS) as string[]).includes(action)) return action;
  throw new UsageError(
    `unknown control action '${action}' (expected one of status, pause, resume, cancel, rollback or their control:rl:* keys)`,
  );
}

/**
 * `rbac check <action> [--principal]`: the decision the policy file gives,
 * with reason code and matched role and pattern, exactly as a control
 * command would be authorized (a missing policy file: `deny_policy_missing`).
 * Returns the report whether allowed or not; the CLI chooses the exit status.
 *
 * @throws UsageError for an unknown action; @tau/rbac `RbacPolicyError` for an unusable policy file.
 */
export async function rbacCheckCommand(
  request: RbacCheckRequest,
  env: PrincipalEnvironment = process.env,
): Promise<RbacCheckReport> {
  const actionKey = rbacCheckActionKeyOf(request.action);
  const principal = resolvePrincipal(request.principal, env);
  const authorizer = await loadRbacPolicy(request.rbacPolicyPath);
  return buildRbacCheckReport(principal, actionKey, authorizer.decideSync(principal, actionKey), request.rbacPolicyPath);
}

/** Who a command would act as. */
export interface RbacWhoami {
  principal: string;
  /** `given` when `--principal` was non-blank, else `local` (from the environment). */
  source: 'given' | 'local';
}

/** `rbac whoami [--principal]`: the principal a control command would act as, and where it came from. */
export function rbacWhoamiCommand(principal: string | undefined, env: PrincipalEnvironment = process.env): RbacWhoami {
  const resolved = resolvePrincipal(principal, env);
  // A given principal wins over the environment: if two environments resolve alike, it was used.
  const given =
    resolvePrincipal(principal, { TAU_RBAC_LOCAL_ACTOR: 'a' }) === resolvePrincipal(principal, { TAU_RBAC_LOCAL_ACTOR: 'b' });
  return { principal: resolved, source: given ? 'given' : 'local' };
}

/**
 * The `rbac whoami --json` document (also the control API's whoami, whose
 * principal is the token's): the principal, where it came from, and the
 * policy's decision for each control action in Tau's order.
 */
export async function rbacWhoamiReport(
  request: { rbacPolicyPath: string; principal?: string },
  env: PrincipalEnvironment = process.env,
): Promise<RbacWhoamiReportDocument> {
  const { principal, source } = rbacWhoamiCommand(request.principal, env);
  const decisions: RbacCheckReport[] = [];
  for (const action of controlActionSchema.options) {
    decisions.push(await rbacCheckCommand({ rbacPolicyPath: request.rbacPolicyPath, action, principal }, env));
  }
  return { principal, source, policy_path: request.rbacPolicyPath, decisions };
}
