// `tau-po rbac check <action>` and `tau-po rbac whoami`: the decisions a
// control command would get, without touching any state directory.
import {
  actionKeyFor,
  buildRbacCheckReport,
  CONTROL_ACTION_KEYS,
  loadRbacPolicy,
  resolvePrincipal,
  type RbacCheckReport,
} from '@tau/rbac';
import { UsageError } from '@tau/recovery';
import { formatErrorChain, type ControlAction } from '@tau/schemas';
import type { RbacCheckInvocation, RbacWhoamiInvocation } from './cli-invocation.js';
import type { CommandOutcome } from './command-outcome.js';
import type { Environment } from './control-environment.js';
import { CONTROL_ACTIONS } from './control-option-table.js';

const EXIT_DENIED = 3;

/**
 * The action key for what the operator typed: an action name (`pause`) or
 * any action key (`control:rl:pause`, or a key a policy names).
 *
 * @throws UsageError for anything else.
 */
export function actionKeyForArgument(argument: string): string {
  if ((CONTROL_ACTIONS as readonly string[]).includes(argument)) return actionKeyFor(argument as ControlAction);
  if (/^[^\s:]+(:[^\s:]+)+$/.test(argument)) return argument;
  throw new UsageError(
    `unknown action '${argument}'; give one of ${CONTROL_ACTIONS.join(', ')} or an action key such as control:rl:pause`,
  );
}

/** One decision as one text line. */
export function renderRbacCheckText(report: RbacCheckReport): string {
  return [
    'rbac check:',
    `principal=${report.principal}`,
    `action=${report.action}`,
    `allowed=${report.allowed}`,
    `reason_code=${report.reason_code}`,
    `matched_role=${report.matched_role ?? 'none'}`,
    `matched_pattern=${report.matched_pattern ?? 'none'}`,
    `policy_path=${report.policy_path}`,
  ].join(' ');
}

/** `rbac check`: exit 0 when allowed, 3 when denied; the decision is printed either way. */
export async function runRbacCheck(invocation: RbacCheckInvocation, env: Environment): Promise<CommandOutcome> {
  const actionKey = actionKeyForArgument(invocation.action);
  const principal = resolvePrincipal(invocation.principal, env);
  const authorizer = await loadRbacPolicy(invocation.rbacPolicyPath);
  const decision = await authorizer.decide(principal, actionKey);
  const report = buildRbacCheckReport(principal, actionKey, decision, invocation.rbacPolicyPath);
  return {
    stdout: invocation.json ? JSON.stringify(report, null, 2) : renderRbacCheckText(report),
    exitCode: report.allowed ? 0 : EXIT_DENIED,
    ...(authorizer.missingPolicyError === null ? {} : { stderrNotice: formatErrorChain(authorizer.missingPolicyError) }),
  };
}

/** The `rbac whoami --json` document. */
export interface RbacWhoamiReport {
  principal: string;
  /** `given` (flag or variable) or `local` (resolved from TAU_RBAC_LOCAL_ACTOR, USER, LOGNAME). */
  principal_source: 'given' | 'local';
  policy_path: string;
  policy_missing: boolean;
  decisions: RbacCheckReport[];
}

/** `rbac whoami`: the principal and its decision for each control action (exit 0). */
export async function runRbacWhoami(invocation: RbacWhoamiInvocation, env: Environment): Promise<CommandOutcome> {
  const principal = resolvePrincipal(invocation.principal, env);
  const authorizer = await loadRbacPolicy(invocation.rbacPolicyPath);
  const decisions: RbacCheckReport[] = [];
  for (const action of CONTROL_ACTIONS) {
    const actionKey = CONTROL_ACTION_KEYS[action];
    decisions.push(
      buildRbacCheckReport(principal, actionKey, await authorizer.decide(principal, actionKey), invocation.rbacPolicyPath),
    );
  }
  const report: RbacWhoamiReport = {
    principal,
    principal_source: (invocation.principal ?? '').trim() === '' ? 'local' : 'given',
    policy_path: invocation.rbacPolicyPath,
    policy_missing: authorizer.policyMissing,
    decisions,
  };
  return {
    stdout: invocation.json ? JSON.stringify(report, null, 2) : renderRbacWhoamiText(report),
    exitCode: 0,
    ...(authorizer.missingPolicyError === null ? {} : { stderrNotice: formatErrorChain(authorizer.missingPolicyError) }),
  };
}

/** whoami as text: the principal line, then one line per action. */
export function renderRbacWhoamiText(report: RbacWhoamiReport): string {
  const lines = [
    `principal=${report.principal} (${report.principal_source}) policy_path=${report.policy_path}` +
      (report.policy_missing ? ' (missing: every action is denied)' : ''),
  ];
  for (const decision of report.decisions) {
    const match =
      decision.matched_role === null ? '' : ` role=${decision.matched_role} pattern=${decision.matched_pattern ?? 'none'}`;
    lines.push(`  ${decision.action} ${decision.allowed ? 'allowed' : 'denied'} ${decision.reason_code}${match}`);
  }
  return lines.join('\n');
}
