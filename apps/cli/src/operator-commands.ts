// `doctor`, `audit verify|repair|timeline` and `checkpoint inspect|verify`:
// @tau/recovery (and @tau/checkpoint-store, @tau/audit-log) do the work; this
// file chooses text or JSON and the exit status. A check that finds a problem
// prints its findings on stdout and exits 1: the findings are the answer.
import { readAuditLines, shouldUseColor } from '@tau/audit-log';
import {
  auditTimelineCommand,
  auditVerifyCommand,
  diagnoseStateDir,
  inspectCheckpoint,
  joinStateDirPath,
  renderDoctorReport,
  repairAuditLogCommand,
  auditAcceptCommand,
  requireExistingStateDir,
  verifyCheckpoint,
  type CheckpointVerification,
  type LoadedCheckpoint,
} from '@tau/recovery';
import { CONTROL_AUDIT_FILE, escapeTerminalText as e } from '@tau/schemas';
import type { AuditInvocation, CheckpointInvocation, DoctorInvocation } from './cli-invocation.js';
import type { CommandOutcome } from './command-outcome.js';
import type { Environment } from './control-environment.js';
import type { CliContext } from './cli-context.js';

const EXIT_FAILURE = 1;

function notice(lines: readonly string[]): { stderrNotice?: string } {
  return lines.length === 0 ? {} : { stderrNotice: lines.map(e).join('\n') };
}

async function runDoctor(invocation: DoctorInvocation, env: Environment): Promise<CommandOutcome> {
  const report = await diagnoseStateDir(
    {
      stateDir: invocation.stateDir,
      rbacPolicyPath: invocation.rbacPolicyPath,
      ...(invocation.principal === undefined ? {} : { principal: invocation.principal }),
    },
    env,
  );
  return {
    stdout: invocation.json ? JSON.stringify(report, null, 2) : renderDoctorReport(report),
    exitCode: report.resume_would_succeed ? 0 : EXIT_FAILURE,
  };
}

function auditPath(stateDir: string): string {
  return joinStateDirPath(stateDir, CONTROL_AUDIT_FILE);
}

async function runAudit(invocation: AuditInvocation, context: CliContext): Promise<CommandOutcome> {
  const { env } = context;
  switch (invocation.subcommand) {
    case 'verify': {
      const outcome = auditVerifyCommand(invocation.stateDir, { json: invocation.json });
      return { stdout: outcome.text, exitCode: outcome.ok ? 0 : EXIT_FAILURE, ...notice(outcome.diagnostics) };
    }
    case 'repair': {
      const outcome = await repairAuditLogCommand(
        {
          stateDir: invocation.stateDir,
          rbacPolicyPath: invocation.rbacPolicyPath,
          ...(invocation.principal === undefined ? {} : { principal: invocation.principal }),
        },
        env,
      );
      return {
        stdout: invocation.json
          ? JSON.stringify({ principal: outcome.principal, audit_path: auditPath(invocation.stateDir), repair: outcome.repair }, null, 2)
          : outcome.text,
        exitCode: 0,
      };
    }
    case 'accept': {
      const outcome = await auditAcceptCommand(
        {
          stateDir: invocation.stateDir,
          rbacPolicyPath: invocation.rbacPolicyPath,
          reason: invocation.reason ?? '',
          ...(invocation.principal === undefined ? {} : { principal: invocation.principal }),
        },
        env,
      );
      return {
        stdout: invocation.json
          ? JSON.stringify(
              { principal: outcome.principal, audit_path: auditPath(invocation.stateDir), accepted: outcome.accepted, warnings: outcome.warnings },
              null,
              2,
            )
          : outcome.text,
        exitCode: 0,
        ...notice(outcome.warnings),
      };
    }
    case 'timeline': {
      if (invocation.json) {
        requireExistingStateDir(invocation.stateDir);
        const path = auditPath(invocation.stateDir);
        const rows = [...readAuditLines(path)].map((line) => ({ line: line.line, ...line.row }));
        return { stdout: JSON.stringify({ audit_path: path, rows }, null, 2), exitCode: 0 };
      }
      const color = shouldUseColor({ isTTY: context.isTerminal(1), env });
      return { stdout: auditTimelineCommand(invocation.stateDir, { color }), exitCode: 0 };
    }
  }
}

/** `checkpoint inspect` as one text line. */
export function renderCheckpointText(checkpoint: LoadedCheckpoint): string {
  const { header } = checkpoint;
  return [
    `checkpoint ${e(checkpoint.path)}:`,
    `run_id=${e(header.run_id)}`,
    `checkpoint_version=${header.checkpoint_version}`,
    `global_step=${header.global_step}`,
    `optimizer_step=${header.optimizer_step}`,
    `saved_at_unix_seconds=${header.saved_at_unix_seconds}`,
    `bytes=${checkpoint.bytes}`,
    `policy_state_bytes=${checkpoint.state_bytes.policy_state}`,
    `optimizer_state_bytes=${checkpoint.state_bytes.optimizer_state}`,
    `digest_verified=${checkpoint.digest_verified ?? 'no-sidecar'}`,
  ].join(' ');
}

/** `checkpoint verify` as text: the verdict line, then the facts found. */
export function renderCheckpointVerificationText(verification: CheckpointVerification): string {
  const verdict = verification.valid ? 'valid' : `invalid: ${e(verification.error ?? 'unknown error')}`;
  const facts = [
    `bytes=${verification.bytes ?? 'unknown'}`,
    `sha256=${verification.sha256 ?? 'unknown'}`,
    `digest=${verification.digest.matches === null ? 'no-sidecar' : verification.digest.matches ? 'matches' : 'MISMATCH'}`,
  ];
  if (verification.header !== null) facts.unshift(`run_id=${e(verification.header.run_id)}`, `global_step=${verification.header.global_step}`);
  return `checkpoint ${e(verification.path)}: ${verdict}\n  ${facts.join(' ')}`;
}

function runCheckpoint(invocation: CheckpointInvocation): CommandOutcome {
  if (invocation.subcommand === 'inspect') {
    const checkpoint = inspectCheckpoint(invocation.file);
    return { stdout: invocation.json ? JSON.stringify(checkpoint, null, 2) : renderCheckpointText(checkpoint), exitCode: 0 };
  }
  const verification = verifyCheckpoint(invocation.file);
  return {
    stdout: invocation.json ? JSON.stringify(verification, null, 2) : renderCheckpointVerificationText(verification),
    exitCode: verification.valid ? 0 : EXIT_FAILURE,
  };
}

/** Runs an operator command (never a control action). */
export async function runOperatorCommand(
  invocation: DoctorInvocation | AuditInvocation | CheckpointInvocation,
  context: CliContext,
): Promise<CommandOutcome> {
  switch (invocation.kind) {
    case 'doctor':
      return runDoctor(invocation, context.env);
    case 'audit':
      return runAudit(invocation, context);
    case 'checkpoint':
      return runCheckpoint(invocation);
  }
}
