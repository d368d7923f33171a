// Turns what a parser read from argv, plus the environment, into one
// ControlRequest (pure). Both parsers end here, so precedence and the usage
// errors about actions are decided once.
import { DEFAULT_RBAC_POLICY_PATH, DEFAULT_STATE_DIR, type ControlAction } from '@tau/schemas';
import { parseControlRequest, UsageError, type ControlRequest } from '@tau/recovery';
import { readEnvActions, readEnvBoolean, readEnvString, type Environment, type NamedAction } from './control-environment.js';
import { ACTION_CHOICES_TEXT, CONTROL_VALUE_OPTIONS, JSON_OPTION } from './control-option-table.js';

/** The options every command shares, as read from argv (undefined: not given). */
export interface SharedArgv {
  readonly stateDir?: string;
  readonly rbacPolicy?: string;
  readonly principal?: string;
  /** `--json` (either spelling): true, false (`--json=false`, `--no-json`), undefined when not given. */
  readonly json: boolean | undefined;
}

/** What a parser read from argv for a control command, before the environment and defaults. */
export interface ControlArgv extends SharedArgv {
  /** Every action named on the command line (command word or Tau action flag), in order. */
  readonly actions: readonly NamedAction[];
  readonly dryRun: boolean;
  /** Actions whose Tau flag was given as false (`--prompt-optimization-control-pause=false`): the environment cannot select them. */
  readonly declinedActions?: readonly ControlAction[];
}

/** A control command ready to run. */
export interface ControlInvocation {
  readonly kind: 'control';
  readonly request: ControlRequest;
  readonly json: boolean;
}

/** The shared options after the environment and defaults. */
export interface SharedOptions {
  readonly stateDir: string;
  readonly rbacPolicyPath: string;
  /** As given; undefined lets @tau/rbac resolve the local principal. */
  readonly principal: string | undefined;
  readonly json: boolean;
}

function envNameOf(name: (typeof CONTROL_VALUE_OPTIONS)[number]['name']): string {
  const option = CONTROL_VALUE_OPTIONS.find((candidate) => candidate.name === name);
  if (option === undefined) throw new Error(`no control option ${name}`);
  return option.envName;
}

/**
 * Flags beat variables, each option on its own (as clap's `env` does in Tau);
 * variables beat the defaults. An empty flag value is kept and rejected by
 * request validation, rather than silently replaced by a default.
 */
export function resolveSharedOptions(argv: SharedArgv, env: Environment): SharedOptions {
  return {
    stateDir: argv.stateDir ?? readEnvString(env, envNameOf('state-dir')) ?? DEFAULT_STATE_DIR,
    rbacPolicyPath: argv.rbacPolicy ?? readEnvString(env, envNameOf('rbac-policy')) ?? DEFAULT_RBAC_POLICY_PATH,
    principal: argv.principal ?? readEnvString(env, envNameOf('principal')),
    json: argv.json ?? readEnvBoolean(env, JSON_OPTION.envName) === true,
  };
}

function describeAction(named: NamedAction): string {
  return named.action === 'rollback' ? `rollback ${named.checkpoint ?? ''}`.trimEnd() : named.action;
}

/** The same action named twice (`resume --prompt-optimization-control-resume`) is one action. */
function distinctActions(actions: readonly NamedAction[]): NamedAction[] {
  const distinct: NamedAction[] = [];
  for (const named of actions) {
    if (!distinct.some((seen) => seen.action === named.action && seen.checkpoint === named.checkpoint)) {
      distinct.push(named);
    }
  }
  return distinct;
}

/**
 * Picks the one action: from the command line when it names any (the
 * environment's actions are then ignored: flags beat variables), else from
 * the environment. None, or two different ones from the same source, is a
 * usage error naming the choices.
 */
export function selectAction(
  argvActions: readonly NamedAction[],
  env: Environment,
  declined: readonly ControlAction[] = [],
): NamedAction {
  const fromArgv = distinctActions(argvActions);
  const candidates =
    fromArgv.length > 0 ? fromArgv : readEnvActions(env).filter((named) => !declined.includes(named.action));
  const [first, second] = candidates;
  if (first === undefined) {
    throw new UsageError(`no control action given; choose exactly one of: ${ACTION_CHOICES_TEXT}`);
  }
  if (second !== undefined) {
    const named = candidates.map(describeAction).join(', ');
    throw new UsageError(`conflicting control actions (${named}); choose exactly one of: ${ACTION_CHOICES_TEXT}`);
  }
  return first;
}

/**
 * The ControlRequest for what was parsed, validated by @tau/recovery's
 * `parseControlRequest` (rollback needs a checkpoint, `--dry-run` is resume's).
 *
 * @throws UsageError
 */
export function resolveControlInvocation(argv: ControlArgv, env: Environment): ControlInvocation {
  const named = selectAction(argv.actions, env, argv.declinedActions);
  const shared = resolveSharedOptions(argv, env);
  const request = parseControlRequest({
    action: named.action,
    ...(named.checkpoint === undefined ? {} : { rollbackCheckpoint: named.checkpoint }),
    stateDir: shared.stateDir,
    rbacPolicyPath: shared.rbacPolicyPath,
    ...(shared.principal === undefined ? {} : { principal: shared.principal }),
    ...(argv.dryRun ? { dryRun: true } : {}),
  });
  return { kind: 'control', request, json: shared.json };
}
