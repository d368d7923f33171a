// The one table of control-command options: each option's short spelling,
// Tau's spelling and environment variable. Both parsers (the fast
// `util.parseArgs` one and the yargs one) are generated from it, so they
// cannot disagree about which names exist.
import type { ControlAction } from '@tau/schemas';

/** Prefix of Tau's flag spelling (`--prompt-optimization-control-resume`). */
export const TAU_FLAG_PREFIX = 'prompt-optimization-control-';

/** Prefix of Tau's environment variables (`TAU_PROMPT_OPTIMIZATION_CONTROL_STATE_DIR`). */
export const TAU_ENV_PREFIX = 'TAU_PROMPT_OPTIMIZATION_CONTROL_';

/** The control actions, in Tau's order. */
export const CONTROL_ACTIONS = ['status', 'pause', 'resume', 'cancel', 'rollback'] as const satisfies readonly ControlAction[];

/** How usage messages name the action choices. */
export const ACTION_CHOICES_TEXT = 'status, pause, resume, cancel, rollback <checkpoint>';

/** A value option shared by both spellings. */
export interface ControlValueOption {
  /** Short spelling, also the yargs key: `state-dir`. */
  readonly name: 'state-dir' | 'rbac-policy' | 'principal';
  /** Tau's spelling: `prompt-optimization-control-state-dir`. */
  readonly tauName: string;
  /** `TAU_PROMPT_OPTIMIZATION_CONTROL_STATE_DIR`. */
  readonly envName: string;
  readonly valueName: string;
  readonly description: string;
}

function valueOption(
  name: ControlValueOption['name'],
  valueName: string,
  description: string,
): ControlValueOption {
  return {
    name,
    tauName: `${TAU_FLAG_PREFIX}${name}`,
    envName: `${TAU_ENV_PREFIX}${name.toUpperCase().replaceAll('-', '_')}`,
    valueName,
    description,
  };
}

/** `--state-dir`, `--rbac-policy`, `--principal` and their Tau spellings. */
export const CONTROL_VALUE_OPTIONS: readonly ControlValueOption[] = [
  valueOption('state-dir', 'dir', 'state directory (default .tau/training)'),
  valueOption('rbac-policy', 'file', 'RBAC policy file (default .tau/security/rbac.json; a missing file denies)'),
  valueOption('principal', 'principal', 'acting principal (default local:<user>)'),
];

/** `--json`: print the report as one JSON document. */
export const JSON_OPTION = {
  name: 'json',
  tauName: `${TAU_FLAG_PREFIX}json`,
  envName: `${TAU_ENV_PREFIX}JSON`,
} as const;

/** `--dry-run` (resume only; ours, so it has no Tau spelling and no variable). */
export const DRY_RUN_OPTION = { name: 'dry-run' } as const;

/** `--help` and `--version` (yargs' own booleans). */
export const HELP_VERSION_FLAGS = ['help', 'version'] as const;

/** Booleans of the server bundle's commands (`serve --insecure-http`; `token --json`, `--help`). */
export const SERVER_BOOLEAN_FLAGS = ['insecure-http', 'json', 'help'] as const;

/**
 * Every boolean flag name any command takes: the names whose spellings
 * boolean-flag-spelling.ts checks before any parser runs. A new command's
 * boolean flag goes here (parser-parity.test.ts fails otherwise).
 */
export const BOOLEAN_FLAG_NAMES: ReadonlySet<string> = new Set<string>([
  JSON_OPTION.name,
  JSON_OPTION.tauName,
  DRY_RUN_OPTION.name,
  ...CONTROL_ACTIONS.filter((action) => action !== 'rollback').map((action) => `${TAU_FLAG_PREFIX}${action}`),
  ...HELP_VERSION_FLAGS,
  ...SERVER_BOOLEAN_FLAGS,
]);

/** Tau's action flag for an action: `prompt-optimization-control-rollback`. */
export function tauActionFlag(action: ControlAction): string {
  return `${TAU_FLAG_PREFIX}${action}`;
}

/** The environment variable of an action: `TAU_PROMPT_OPTIMIZATION_CONTROL_ROLLBACK`. */
export function actionEnvName(action: ControlAction): string {
  return `${TAU_ENV_PREFIX}${action.toUpperCase()}`;
}

/** One short line naming the choices, printed after every usage error. */
export const USAGE_HINT =
  'usage: tau-po <status|pause|resume|cancel|rollback <checkpoint>> [--state-dir <dir>] ' +
  "[--rbac-policy <file>] [--principal <principal>] [--json]; tau-po <doctor|audit|checkpoint|rbac|schemas> ...; see 'tau-po --help'";
