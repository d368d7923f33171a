// `tau-po rbac check <action>` and `tau-po rbac whoami`: the decisions a
// control command would get (@tau/recovery decides), printed as text or JSON.
import { RbacPolicyMissingError, type RbacCheckReport } from '@tau/rbac';
import { rbacCheckCommand, rbacWhoamiReport } from '@tau/recovery';
import { escapeTerminalText as e, formatErrorChain, type RbacWhoamiReportDocument } from '@tau/schemas';
import type { RbacCheckInvocation, RbacWhoamiInvocation } from './cli-invocation.js';
import type { CommandOutcome } from './command-outcome.js';
import type { Environment } from './control-environment.js';

const EXIT_DENIED = 3;

/** One decision as one text line (`none` for an absent role or pattern, as Tau prints absent values). */
export function renderRbacCheckText(report: RbacCheckReport): string {
  return [
    'rbac check:',
    `principal=${e(report.principal)}`,
    `action=${e(report.action)}`,
    `allowed=${report.allowed}`,
    `reason_code=${report.reason_code}`,
    `matched_role=${e(report.matched_role ?? 'none')}`,
    `matched_pattern=${e(report.matched_pattern ?? 'none')}`,
    `policy_path=${e(report.policy_path)}`,
  ].join(' ');
}

/** Why everything is denied, when the policy file is missing (stderr: an explanation, not data). */
export function missingPolicyNotice(reports: readonly RbacCheckReport[], policyPath: string): { stderrNotice?: string } {
  return reports.some((report) => report.reason_code === 'deny_policy_missing')
    ? { stderrNotice: e(formatErrorChain(new RbacPolicyMissingError(policyPath))) }
    : {};
}

/**
 * `rbac check`: the decision on stdout either way (it is the answer, not a
 * failure); exit 0 when allowed, 3 when denied, like a control command.
 */
export async function runRbacCheck(invocation: RbacCheckInvocation, env: Environment): Promise<CommandOutcome> {
  const report = await rbacCheckCommand(
    {
      rbacPolicyPath: invocation.rbacPolicyPath,
      action: invocation.action,
      ...(invocation.principal === undefined ? {} : { principal: invocation.principal }),
    },
    env,
  );
  return {
    stdout: invocation.json ? JSON.stringify(report, null, 2) : renderRbacCheckText(report),
    exitCode: report.allowed ? 0 : EXIT_DENIED,
    ...missingPolicyNotice([report], invocation.rbacPolicyPath),
  };
}

/** The `rbac whoami --json` document (its zod schema is @tau/schemas' `rbacWhoamiReportSchema`). */
export type RbacWhoamiReport = RbacWhoamiReportDocument;

/** `rbac whoami`: who a control command would act as, and what the policy lets it do (exit 0). */
export async function runRbacWhoami(invocation: RbacWhoamiInvocation, env: Environment): Promise<CommandOutcome> {
  const report: RbacWhoamiReport = await rbacWhoamiReport(
    { rbacPolicyPath: invocation.rbacPolicyPath, ...(invocation.principal === undefined ? {} : { principal: invocation.principal }) },
    env,
  );
  const { decisions } = report;
  return {
    stdout: invocation.json ? JSON.stringify(report, null, 2) : renderRbacWhoamiText(report),
    exitCode: 0,
    ...missingPolicyNotice(decisions, invocation.rbacPolicyPath),
  };
}

/** whoami as text: the principal line, then one line per action. */
export function renderRbacWhoamiText(report: RbacWhoamiReport): string {
  const lines = [`principal=${e(report.principal)} source=${e(report.source)} policy_path=${e(report.policy_path)}`];
  for (const decision of report.decisions) {
    const match =
      decision.matched_role === null
        ? ''
        : ` matched_role=${e(decision.matched_role)} matched_pattern=${e(decision.matched_pattern ?? 'none')}`;
    lines.push(`  ${e(decision.action)} allowed=${decision.allowed} reason_code=${decision.reason_code}${match}`);
  }
  return lines.join('\n');
}
