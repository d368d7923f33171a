// `tau-po lock status` and `tau-po lock break`: the command line (yargs
// definition, registered by yargs-command-line.ts) and the output. What the
// commands do is @tau/recovery's (`lockStatusCommand`, `breakLockCommand`).
import type { Argv } from 'yargs';
import { breakLockCommand, lockStatusCommand, renderLockBreak, renderLockStatus } from '@tau/recovery';
import { escapeTerminalText } from '@tau/schemas';
import type { CommandOutcome } from './command-outcome.js';
import type { CliContext } from './cli-context.js';
import type { Environment } from './control-environment.js';
import { resolveSharedOptions, type SharedArgv, type SharedOptions } from './control-invocation.js';

/** `tau-po lock status|break` (break is authorized, so it has a policy and principal too). */
export interface LockInvocation extends SharedOptions {
  readonly kind: 'lock';
  readonly subcommand: 'status' | 'break';
}

/** What yargs-command-line.ts lends the lock commands: its option builder and argv reader. */
export interface LockCommandLineParts {
  readonly addSharedOptions: (argv: Argv, set: { stateDir?: boolean; rbacPolicy?: boolean; principal?: boolean }) => Argv;
  readonly sharedArgvOf: (args: Record<string, unknown>) => SharedArgv;
}

const EXIT_FAILURE = 1;

const STATUS_EXAMPLE = 'tau-po lock status --state-dir .tau/training --json';
const BREAK_EXAMPLE = 'tau-po lock break --state-dir .tau/training --rbac-policy .tau/security/rbac.json --principal local:rl-operator';

/** The `lock` command's subcommands, for yargs; `capture` receives the invocation to build. */
export function lockCommands(
  argv: Argv,
  env: Environment,
  parts: LockCommandLineParts,
  capture: (make: () => LockInvocation) => void,
): Argv {
  const sub = (name: 'status' | 'break', describe: string, example: string, exampleText: string) =>
    argv.command(
      name,
      describe,
      (inner) =>
        parts
          .addSharedOptions(inner, name === 'break' ? { stateDir: true, rbacPolicy: true, principal: true } : { stateDir: true })
          .example(example, exampleText),
      (args) => capture(() => ({ kind: 'lock', subcommand: name, ...resolveSharedOptions(parts.sharedArgvOf(args), env) })),
    );
  sub(
    'status',
    'who holds the state-directory lock, for how long, and whether it is alive, provably stale (why) or cannot be judged (why)',
    STATUS_EXAMPLE,
    'exit 0 free or held, 1 when something other than a lock file is at the lock path',
  );
  sub(
    'break',
    'remove a lock whose holder is provably stale or cannot be judged (another host or container); needs control:rl:resume; audited',
    BREAK_EXAMPLE,
    'run only once that command is known to be gone; refused (exit 5) while the holder is provably alive',
  );
  return argv
    .demandCommand(1, 'choose a lock subcommand: status, break')
    .example(STATUS_EXAMPLE, '')
    .example(BREAK_EXAMPLE, '');
}

/** Runs `lock status` or `lock break`. A refused or failed break throws (exit status from the error). */
export async function runLockCommand(invocation: LockInvocation, context: CliContext): Promise<CommandOutcome> {
  if (invocation.subcommand === 'status') {
    const report = lockStatusCommand(invocation.stateDir);
    return {
      stdout: invocation.json ? JSON.stringify(report, null, 2) : renderLockStatus(report),
      exitCode: report.state === 'not_a_lock_file' ? EXIT_FAILURE : 0,
    };
  }
  const outcome = await breakLockCommand(
    {
      stateDir: invocation.stateDir,
      rbacPolicyPath: invocation.rbacPolicyPath,
      ...(invocation.principal === undefined ? {} : { principal: invocation.principal }),
    },
    context.env,
  );
  const notices = context.isTerminal(2) ? outcome.diagnostics.map((diagnostic) => `diagnostic: ${escapeTerminalText(diagnostic)}`) : [];
  return {
    stdout: invocation.json ? JSON.stringify(outcome, null, 2) : renderLockBreak(outcome),
    exitCode: 0,
    ...(notices.length === 0 ? {} : { stderrNotice: notices.join('\n') }),
  };
}
