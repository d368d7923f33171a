// The complete command-line definition (yargs): every command, its help text
// and example, and the wording of usage errors. Loaded lazily: the control
// commands' common argv forms never reach it (see fast-control-argv.ts).
import yargs, { type Argv } from 'yargs';
import { UsageError } from '@tau/recovery';
import type { NamedAction, Environment } from './control-environment.js';
import type { ControlAction } from '@tau/schemas';
import type { CliInvocation } from './cli-invocation.js';
import {
  resolveControlInvocation,
  resolveSharedOptions,
  type ControlArgv,
  type SharedArgv,
} from './control-invocation.js';
import {
  ACTION_CHOICES_TEXT,
  CONTROL_ACTIONS,
  CONTROL_VALUE_OPTIONS,
  DRY_RUN_OPTION,
  JSON_OPTION,
  TAU_ENV_PREFIX,
  tauActionFlag,
} from './control-option-table.js';
import { CLI_VERSION } from './cli-version.js';
import { lockCommands } from './lock-commands.js';
import { completionScript, COMPLETION_SHELLS, defaultCompletionShell, type CompletionShell } from './completion-script.js';
import { setHelpRendering, withTauAliases, withTauSpellingSection } from './help-layout.js';
import { withTypoSuggestion } from './typo-suggestion.js';

type ParsedArgs = Record<string, unknown>;

/** Every boolean flag a control command takes, in both spellings. */
const CONTROL_BOOLEAN_FLAGS: readonly string[] = [
  JSON_OPTION.name,
  JSON_OPTION.tauName,
  DRY_RUN_OPTION.name,
  ...CONTROL_ACTIONS.filter((action) => action !== 'rollback').map(tauActionFlag),
];

/** Which shared options a command takes. */
interface SharedOptionSet {
  readonly stateDir?: boolean;
  readonly rbacPolicy?: boolean;
  readonly principal?: boolean;
}

const ALL_SHARED: SharedOptionSet = { stateDir: true, rbacPolicy: true, principal: true };

function addSharedOptions<T>(argv: Argv<T>, set: SharedOptionSet): Argv<T> {
  let result = argv;
  for (const option of CONTROL_VALUE_OPTIONS) {
    const wanted =
      (option.name === 'state-dir' && set.stateDir === true) ||
      (option.name === 'rbac-policy' && set.rbacPolicy === true) ||
      (option.name === 'principal' && set.principal === true);
    if (!wanted) continue;
    result = withTauAliases(result, option.name, option.tauName, {
      type: 'string',
      requiresArg: true,
      describe: `${option.description} [env ${option.envName}]`,
    });
  }
  return withTauAliases(result, JSON_OPTION.name, JSON_OPTION.tauName, {
    type: 'boolean',
    describe: `print one JSON document on stdout [env ${JSON_OPTION.envName}=true]`,
  });
}

/** The control options, and Tau's action flags (shown only where Tau's spelling is the point). */
function addControlOptions<T>(argv: Argv<T>, showTauActionFlags: boolean): Argv<T> {
  let result = addSharedOptions(argv, ALL_SHARED).option(DRY_RUN_OPTION.name, {
    type: 'boolean',
    describe: 'resume only: compute and print everything, write nothing',
  }) as Argv<T>;
  for (const action of CONTROL_ACTIONS) {
    const envName = `${TAU_ENV_PREFIX}${action.toUpperCase()}`;
    result = result.option(tauActionFlag(action), {
      type: action === 'rollback' ? 'string' : 'boolean',
      ...(action === 'rollback' ? { requiresArg: true } : {}),
      hidden: !showTauActionFlags,
      describe:
        action === 'rollback'
          ? `request a rollback to this checkpoint [env ${envName}=<path>]`
          : `${action} the run [env ${envName}=true]`,
    }) as Argv<T>;
  }
  return result;
}

function optionalString(args: ParsedArgs, key: string): string | undefined {
  const value = args[key];
  return typeof value === 'string' ? value : undefined;
}

function sharedArgvOf(args: ParsedArgs): SharedArgv {
  const stateDir = optionalString(args, 'state-dir');
  const rbacPolicy = optionalString(args, 'rbac-policy');
  const principal = optionalString(args, 'principal');
  return {
    ...(stateDir === undefined ? {} : { stateDir }),
    ...(rbacPolicy === undefined ? {} : { rbacPolicy }),
    ...(principal === undefined ? {} : { principal }),
    json: args[JSON_OPTION.name] === true,
  };
}

function controlArgvOf(args: ParsedArgs, commandAction: NamedAction | undefined): ControlArgv {
  const actions: NamedAction[] = commandAction === undefined ? [] : [commandAction];
  for (const action of CONTROL_ACTIONS) {
    const value = args[tauActionFlag(action)];
    if (action === 'rollback') {
      if (typeof value === 'string') actions.push({ action, checkpoint: value });
    } else if (value === true) {
      actions.push({ action });
    }
  }
  return { ...sharedArgvOf(args), actions, dryRun: args[DRY_RUN_OPTION.name] === true };
}

const CONTROL_DESCRIPTIONS: Record<ControlAction, string> = {
  status: 'print the lifecycle state (writes nothing)',
  pause: 'pause the run',
  resume: 'resume the run; after a crash, restore the newest usable checkpoint first',
  cancel: 'cancel the run',
  rollback: 'request a rollback to <checkpoint> (validated first)',
};

const CONTROL_EXAMPLES: Record<ControlAction, string> = {
  status: 'tau-po status --state-dir .tau/training --json',
  pause: 'tau-po pause --state-dir .tau/training --principal local:rl-operator',
  resume: 'tau-po resume --state-dir .tau/training --rbac-policy .tau/security/rbac.json --principal local:rl-operator --json',
  cancel: 'tau-po cancel --state-dir .tau/training --principal local:rl-operator',
  rollback: 'tau-po rollback .tau/training/policy-checkpoint.rollback.json --state-dir .tau/training',
};

const ENVIRONMENT_EPILOGUE = [
  'Environment (flags win over variables, variables over defaults):',
  `  ${TAU_ENV_PREFIX}STATUS|PAUSE|RESUME|CANCEL=true, ${TAU_ENV_PREFIX}ROLLBACK=<path>`,
  `  ${TAU_ENV_PREFIX}STATE_DIR, ${TAU_ENV_PREFIX}RBAC_POLICY, ${TAU_ENV_PREFIX}PRINCIPAL, ${TAU_ENV_PREFIX}JSON=true`,
  'Colour (audit timeline): --color/--no-color, else FORCE_COLOR (0 or false: never), else NO_COLOR, else on a terminal.',
  'Exit status: 0 ok, 1 failure, 2 usage error, 3 denied by policy, 4 recovery guardrail, 5 state dir busy.',
  // Client mode is read by src/client/client-mode-argv.ts before this parser runs.
  'Through a control server (docs/server.md): --server <url> --token-file <file>',
  '  [--run <name>] [--insecure-http]; env TAU_PO_SERVER, TAU_PO_TOKEN_FILE or TAU_PO_TOKEN, TAU_PO_RUN',
].join('\n');


/**
 * Parses any tau-po argv with the complete definition. Help and version
 * become a `help` invocation (printed by the caller); every rejection is a
 * `UsageError` with yargs' wording, or the shared resolver's for actions.
 *
 * @param columns terminal width for help text (undefined: not a terminal, 100).
 * @throws UsageError
 */
export function parseCommandLineWithYargs(
  args: readonly string[],
  env: Environment,
  columns?: number,
): CliInvocation {
  // Handlers only record what was asked; resolving (which may throw a usage
  // error of our own wording) happens after yargs has finished.
  let resolve: (() => CliInvocation) | undefined;
  let failure: Error | undefined;
  let output = '';
  setHelpRendering(args);

  const controlCommand = (action: ControlAction) => {
    const command = action === 'rollback' ? 'rollback <checkpoint>' : action;
    return {
      command,
      describe: CONTROL_DESCRIPTIONS[action],
      builder: (argv: Argv) => {
        const withOptions = addControlOptions(argv, false).example(CONTROL_EXAMPLES[action], '');
        return action === 'rollback'
          ? withOptions.positional('checkpoint', { type: 'string', describe: 'policy checkpoint file' })
          : withOptions;
      },
      handler: (args: ParsedArgs) => {
        const named: NamedAction =
          action === 'rollback' ? { action, checkpoint: String(args['checkpoint']) } : { action };
        resolve = () => resolveControlInvocation(controlArgvOf(args, named), env);
      },
    };
  };

  let cli = yargs()
    .scriptName('tau-po')
    .parserConfiguration({
      'camel-case-expansion': false,
      'boolean-negation': false,
      'duplicate-arguments-array': false,
      'dot-notation': false,
      'parse-numbers': false,
      'parse-positional-numbers': false,
    })
    .strict()
    .exitProcess(false)
    .version(CLI_VERSION)
    .alias('version', 'v')
    .help('help')
    .alias('help', 'h')
    .wrap(columns === undefined ? 100 : Math.min(columns, 120))
    .usage(
      'tau-po: pause, resume, cancel and roll back Tau prompt-optimization runs, crash-safely.\n\n' +
        `Usage: tau-po <command> [options]   (actions: ${ACTION_CHOICES_TEXT})\n` +
        '       tau-po --prompt-optimization-control-<action> ...   (Tau spelling)',
    )
    // Command detection parses argv before any command's options are known:
    // without this, `--prompt-optimization-control-status status` would read
    // `status` as the flag's value. Not inherited: each command declares its own.
    .option(
      Object.fromEntries(
        CONTROL_BOOLEAN_FLAGS.map((name) => [name, { type: 'boolean', hidden: true, global: false } as const]),
      ),
    )
    .command(
      '$0',
      "Tau's spelling: exactly one --prompt-optimization-control-<action> flag",
      (argv) =>
        addControlOptions(argv, true).example(
          'tau-po --prompt-optimization-control-resume --prompt-optimization-control-state-dir .tau/prompt-optimization ' +
            '--prompt-optimization-control-rbac-policy .tau/rbac-policy.json ' +
            '--prompt-optimization-control-principal local:rl-operator --prompt-optimization-control-json',
          "the runbook's standard command",
        ),
      (args) => {
        resolve = () => resolveControlInvocation(controlArgvOf(args, undefined), env);
      },
    );
  for (const action of CONTROL_ACTIONS) cli = cli.command(controlCommand(action));

  cli = cli
    .command(
      'doctor',
      'find everything that would stop a resume (exit 0 only if a resume would succeed)',
      (argv) => addSharedOptions(argv, ALL_SHARED).example('tau-po doctor --state-dir .tau/training', ''),
      (args) => {
        resolve = () => ({ kind: 'doctor', ...resolveSharedOptions(sharedArgvOf(args), env) });
      },
    )
    .command('audit', 'verify, repair, accept findings of, or show the control audit log', (argv) =>
      auditCommands(argv, env, (make) => (resolve = make)),
    )
    .command('checkpoint', 'inspect or verify a policy checkpoint file', (argv) =>
      checkpointCommands(argv, env, (make) => (resolve = make)),
    )
    .command('rbac', 'explain RBAC decisions', (argv) => rbacCommands(argv, env, (make) => (resolve = make)))
    .command('lock', 'show or break the state-directory lock', (argv) =>
      lockCommands(argv, env, { addSharedOptions, sharedArgvOf }, (make) => (resolve = make)),
    )
    .command('schemas', 'export the JSON Schemas of every artifact', (argv) =>
      argv
        .command(
          'export <dir>',
          'write <artifact>.schema.json files into <dir>',
          (sub) =>
            addSharedOptions(sub, {})
              .positional('dir', { type: 'string', describe: 'output directory (created if missing)' })
              .example('tau-po schemas export docs/json-schema', ''),
          (args) => {
            resolve = () => ({
              kind: 'schemas-export',
              dir: String(args['dir']),
              json: resolveSharedOptions(sharedArgvOf(args), env).json,
            });
          },
        )
        .demandCommand(1, 'choose a schemas subcommand: export')
        .example('tau-po schemas export docs/json-schema', ''),
    )
    // Listed here for --help only: src/server-bundle-loader.ts runs them from their own bundle before yargs.
    .command('serve', 'run the control API server for remote operators (tau-po serve --help)')
    .command('token', 'create, list or revoke control API tokens (tau-po token --help)')
    .command(
      'completion [shell]',
      'print a bash or zsh completion script: eval "$(tau-po completion)"',
      (argv) =>
        argv
          .positional('shell', { choices: COMPLETION_SHELLS, describe: 'default: zsh if $SHELL is zsh, else bash' })
          .example('tau-po completion bash > /etc/bash_completion.d/tau-po', ''),
      (args) => {
        const shell = (args['shell'] as CompletionShell | undefined) ?? defaultCompletionShell(env['SHELL']);
        resolve = () => ({ kind: 'help', text: completionScript(shell) });
      },
    )
    .epilogue(ENVIRONMENT_EPILOGUE)
    .fail((message, error) => {
      failure =
        error instanceof UsageError ? error : new UsageError(withTypoSuggestion(message ?? error?.message ?? 'invalid arguments', args));
    });

  cli.parse([...args], {}, (_error: Error | undefined, _argv: unknown, text: string) => {
    output = text;
  });

  if (failure !== undefined) throw failure;
  if (resolve === undefined) return { kind: 'help', text: withTauSpellingSection(output) };
  return resolve();
}

type Capture = (make: () => CliInvocation) => void;

function auditCommands(argv: Argv, env: Environment, capture: Capture): Argv {
  const sub = (name: 'verify' | 'repair' | 'timeline', describe: string, example: string) =>
    argv.command(
      name,
      describe,
      (inner) => addSharedOptions(inner, name === 'repair' ? ALL_SHARED : { stateDir: true }).example(example, ''),
      (args) => capture(() => ({ kind: 'audit', subcommand: name, ...resolveSharedOptions(sharedArgvOf(args), env) })),
    );
  sub('verify', 'check the hash chain against the audit head file: finds edits, deletions, truncation, missing files',
    'tau-po audit verify --state-dir .tau/training --json');
  sub('repair', 'quarantine a torn final line (crash mid-append) to a side file',
    'tau-po audit repair --state-dir .tau/training');
  sub('timeline', 'print the audit log as a timeline', 'tau-po audit timeline --state-dir .tau/training');
  argv.command(
    'accept',
    'accept what `audit verify` found, recorded as an audit row (needs control:rl:resume)',
    (inner) =>
      addSharedOptions(inner, ALL_SHARED)
        .option('reason', { type: 'string', demandOption: true, requiresArg: true, describe: 'why the findings are accepted (recorded)' })
        .example('tau-po audit accept --state-dir .tau/training --reason "restored from backup, see INC-42"', ''),
    (args) =>
      capture(() => ({
        kind: 'audit',
        subcommand: 'accept',
        reason: String(args['reason']),
        ...resolveSharedOptions(sharedArgvOf(args), env),
      })),
  );
  return argv
    .demandCommand(1, 'choose an audit subcommand: verify, repair, accept, timeline')
    .example('tau-po audit verify --state-dir .tau/training', '');
}

function checkpointCommands(argv: Argv, env: Environment, capture: Capture): Argv {
  const sub = (name: 'inspect' | 'verify', describe: string) =>
    argv.command(
      `${name} <file>`,
      describe,
      (inner) =>
        addSharedOptions(inner, {})
          .positional('file', { type: 'string', describe: 'policy checkpoint file' })
          .example(`tau-po checkpoint ${name} .tau/training/policy-checkpoint.json`, ''),
      (args) =>
        capture(() => ({
          kind: 'checkpoint',
          subcommand: name,
          file: String(args['file']),
          json: resolveSharedOptions(sharedArgvOf(args), env).json,
        })),
    );
  sub('inspect', 'print the header of a checkpoint (streamed: any size)');
  sub('verify', 'validate a checkpoint fully: header, digest sidecar, sizes');
  return argv
    .demandCommand(1, 'choose a checkpoint subcommand: inspect, verify')
    .example('tau-po checkpoint verify .tau/training/policy-checkpoint.json', '');
}

function rbacCommands(argv: Argv, env: Environment, capture: Capture): Argv {
  argv.command(
    'check <action>',
    'would the principal be allowed <action>? (exit 0 allowed, 3 denied)',
    (inner) =>
      addSharedOptions(inner, { rbacPolicy: true, principal: true })
        .positional('action', {
          type: 'string',
          describe: `${CONTROL_ACTIONS.join('|')} or its action key, such as control:rl:pause`,
        })
        .example('tau-po rbac check resume --principal local:rl-operator --rbac-policy .tau/security/rbac.json', ''),
    (args) =>
      capture(() => {
        const shared = resolveSharedOptions(sharedArgvOf(args), env);
        return {
          kind: 'rbac-check',
          action: String(args['action']),
          rbacPolicyPath: shared.rbacPolicyPath,
          principal: shared.principal,
          json: shared.json,
        };
      }),
  );
  argv.command(
    'whoami',
    'print the resolved principal and its decision for every control action',
    (inner) =>
      addSharedOptions(inner, { rbacPolicy: true, principal: true }).example('tau-po rbac whoami --json', ''),
    (args) =>
      capture(() => {
        const shared = resolveSharedOptions(sharedArgvOf(args), env);
        return { kind: 'rbac-whoami', rbacPolicyPath: shared.rbacPolicyPath, principal: shared.principal, json: shared.json };
      }),
  );
  return argv
    .demandCommand(1, 'choose an rbac subcommand: check, whoami')
    .example('tau-po rbac whoami', '');
}
