// Runs one parsed invocation and says what to print and how to exit. The
// commands' work is @tau/recovery's (and @tau/rbac's); this file only chooses
// the output form.
import { renderControlJsonDocument, runControlCommand } from '@tau/recovery';
import type { CliInvocation } from './cli-invocation.js';
import type { CliContext } from './cli-context.js';
import type { CommandOutcome } from './command-outcome.js';
import type { ControlInvocation } from './control-invocation.js';
import { controlStderrNotices } from './control-notices.js';
import { runLockCommand } from './lock-commands.js';
import { runOperatorCommand } from './operator-commands.js';
import { runRbacCheck, runRbacWhoami } from './rbac-commands.js';
import { runSchemasExport } from './schemas-export-command.js';

async function runControl(invocation: ControlInvocation, context: CliContext): Promise<CommandOutcome> {
  const outcome = await runControlCommand(invocation.request, context.env);
  const notices = controlStderrNotices(outcome.diagnostics, context.isTerminal(2));
  return {
    stdout: invocation.json ? renderControlJsonDocument(outcome) : outcome.text,
    exitCode: 0,
    ...(notices.length === 0 ? {} : { stderrNotice: notices.join('\n') }),
  };
}

/**
 * Runs an invocation. Failures throw (the caller prints the cause chain and
 * maps the exit status); a command whose answer is "no" without failing
 * (`rbac check` denied, `doctor` finding a blocker) returns its exit status.
 */
export async function runCliInvocation(invocation: CliInvocation, context: CliContext): Promise<CommandOutcome> {
  switch (invocation.kind) {
    case 'help':
      return { stdout: invocation.text, exitCode: 0 };
    case 'control':
      return runControl(invocation, context);
    case 'rbac-check':
      return runRbacCheck(invocation, context.env);
    case 'rbac-whoami':
      return runRbacWhoami(invocation, context.env);
    case 'schemas-export':
      return runSchemasExport(invocation);
    case 'lock':
      return runLockCommand(invocation, context);
    case 'doctor':
    case 'audit':
    case 'checkpoint':
      return runOperatorCommand(invocation, context);
  }
}
