// The cold-start path's parser. Importing yargs costs more than all of Node's
// own start-up (about +30 ms on a ~17 ms `node -e 0`), and a control command
// run by a script or an on-call engineer should not pay it. Node's built-in
// `util.parseArgs` is a well-kept parser with no import cost, so the control
// commands' argv forms are parsed with it; anything it does not fully accept
// (`--help`, operator commands, unknown or malformed flags) is deferred to
// the complete yargs definition, which also words every usage error.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ControlAction } from '@tau/schemas';
import type { NamedAction } from './control-environment.js';
import type { ControlArgv } from './control-invocation.js';
import {
  CONTROL_ACTIONS,
  CONTROL_VALUE_OPTIONS,
  DRY_RUN_OPTION,
  JSON_OPTION,
  tauActionFlag,
} from './control-option-table.js';

type OptionTable = NonNullable<ParseArgsConfig['options']>;

function buildOptionTable(): OptionTable {
  const options: OptionTable = {
    [JSON_OPTION.name]: { type: 'boolean' },
    [JSON_OPTION.tauName]: { type: 'boolean' },
    [DRY_RUN_OPTION.name]: { type: 'boolean' },
  };
  for (const option of CONTROL_VALUE_OPTIONS) {
    options[option.name] = { type: 'string' };
    options[option.tauName] = { type: 'string' };
  }
  for (const action of CONTROL_ACTIONS) {
    options[tauActionFlag(action)] = { type: action === 'rollback' ? 'string' : 'boolean' };
  }
  return options;
}

const OPTION_TABLE = buildOptionTable();

const COMMAND_WORDS: ReadonlySet<string> = new Set(CONTROL_ACTIONS);

const BOOLEAN_FLAG_TOKENS: ReadonlySet<string> = new Set(
  Object.entries(OPTION_TABLE)
    .filter(([, option]) => option.type === 'boolean')
    .map(([name]) => `--${name}`),
);
const BOOLEAN_WORDS: ReadonlySet<string> = new Set(['true', 'false']);

/** The action named by the positionals, [] for none, undefined when they are not a control command's. */
function positionalActions(positionals: readonly string[]): NamedAction[] | undefined {
  const [word, checkpoint, extra] = positionals;
  if (word === undefined) return [];
  if (!COMMAND_WORDS.has(word) || extra !== undefined) return undefined;
  if (word === 'rollback') return checkpoint === undefined ? undefined : [{ action: 'rollback', checkpoint }];
  return checkpoint === undefined ? [{ action: word as ControlAction }] : undefined;
}

function lastString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Reads a control command's argv (`resume --state-dir d --json`, Tau's
 * `--prompt-optimization-control-resume ...`, or a mix), or returns
 * undefined when the argv is anything else, which the yargs definition then
 * handles. Never throws; a repeated option keeps its last value, as in yargs.
 */
export function parseControlArgvFast(args: readonly string[]): ControlArgv | undefined {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options: OPTION_TABLE, allowPositionals: true, allowNegative: true, strict: true });
  } catch {
    return undefined;
  }
  // `--` followed by positionals is not a control command form.
  if (args.includes('--')) return undefined;
  // yargs reads `--json true` as the flag's value, parseArgs as a positional.
  if (args.some((arg, index) => BOOLEAN_FLAG_TOKENS.has(arg) && BOOLEAN_WORDS.has(args[index + 1] ?? ''))) {
    return undefined;
  }
  const fromPositionals = positionalActions(parsed.positionals);
  if (fromPositionals === undefined) return undefined;
  const values = parsed.values as Record<string, unknown>;
  const actions: NamedAction[] = [...fromPositionals];
  const declinedActions: ControlAction[] = [];
  for (const action of CONTROL_ACTIONS) {
    const value = values[tauActionFlag(action)];
    if (action === 'rollback') {
      if (typeof value === 'string') actions.push({ action, checkpoint: value });
    } else if (value === true) {
      actions.push({ action });
    } else if (value === false) {
      declinedActions.push(action);
    }
  }
  // Both spellings of --json given: which came last decides in yargs; defer.
  const shortJson = values[JSON_OPTION.name];
  const tauJson = values[JSON_OPTION.tauName];
  if (typeof shortJson === 'boolean' && typeof tauJson === 'boolean') return undefined;
  const json = typeof shortJson === 'boolean' ? shortJson : typeof tauJson === 'boolean' ? tauJson : undefined;
  // Either spelling of an option; when both are given the later one wins in
  // yargs (aliases share a key), which parseArgs cannot tell, so defer.
  const pick = (short: string, tau: string): string | undefined | null => {
    const shortValue = lastString(values[short]);
    const tauValue = lastString(values[tau]);
    if (shortValue !== undefined && tauValue !== undefined) return null;
    return shortValue ?? tauValue;
  };
  const [stateDir, rbacPolicy, principal] = CONTROL_VALUE_OPTIONS.map((option) => pick(option.name, option.tauName));
  if (stateDir === null || rbacPolicy === null || principal === null) return undefined;
  return {
    actions,
    ...(stateDir === undefined ? {} : { stateDir }),
    ...(rbacPolicy === undefined ? {} : { rbacPolicy }),
    ...(principal === undefined ? {} : { principal }),
    json,
    dryRun: values[DRY_RUN_OPTION.name] === true,
    ...(declinedActions.length === 0 ? {} : { declinedActions }),
  };
}
