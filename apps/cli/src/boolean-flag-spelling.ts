// Boolean flags mean exactly what they say. yargs and util.parseArgs each read
// `--dry-run=1`, `--json=yes` or `--json=` their own way (yargs took
// `--dry-run=1` as a real resume); so before either parser sees argv, every
// boolean flag is brought to one spelling here, in one place both parsers
// share: `--flag` and `--flag=true` mean true, `--flag=false` and `--no-flag`
// mean false (and beat the flag's environment variable, as any flag does), and
// anything else is a usage error naming the flag. Pure: argv and env in, argv
// and env out.
import { UsageError } from '@tau/recovery';
import type { Environment } from './control-environment.js';
import { actionEnvName, CONTROL_ACTIONS, DRY_RUN_OPTION, JSON_OPTION, tauActionFlag } from './control-option-table.js';

/** A boolean flag of the control and operator commands, and the variable it overrides (if any). */
interface BooleanFlag {
  readonly name: string;
  readonly envName?: string;
  /**
   * Set only through its variable: the flag leaves argv either way and sets
   * `envName` to `'1'` (true) or `'0'` (false). `--color`/`--no-color` are
   * FORCE_COLOR's, read where colour is decided, so no parser knows them.
   */
  readonly envOnly?: true;
}

/** Every boolean flag the control and operator commands take, in both spellings. */
export const BOOLEAN_FLAGS: readonly BooleanFlag[] = [
  { name: JSON_OPTION.name, envName: JSON_OPTION.envName },
  { name: JSON_OPTION.tauName, envName: JSON_OPTION.envName },
  { name: DRY_RUN_OPTION.name },
  ...CONTROL_ACTIONS.filter((action) => action !== 'rollback').map((action) => ({
    name: tauActionFlag(action),
    envName: actionEnvName(action),
  })),
  { name: 'help' },
  { name: 'version' },
  { name: 'color', envName: 'FORCE_COLOR', envOnly: true },
];

const BY_NAME: ReadonlyMap<string, BooleanFlag> = new Map(BOOLEAN_FLAGS.map((flag) => [flag.name, flag]));

/** The accepted spellings, as usage errors list them. */
export function acceptedSpellings(name: string): string {
  return `--${name}, --${name}=true, --${name}=false or --no-${name}`;
}

/** argv with every boolean flag spelled `--flag` (true) or left out (false), and env without the variables a false flag overrides. */
export interface NormalizedBooleanFlags {
  readonly args: string[];
  readonly env: Environment;
}

/**
 * Rewrites the boolean flags of `args` (up to a `--` separator):
 * `--flag=true` -> `--flag`; `--flag=false`, `--no-flag` -> dropped, and the
 * flag's variable set to `false` in the returned env so it cannot turn the
 * flag back on. Any other value (`=1`, `=yes`, `=TRUE`, `=`) throws a
 * `UsageError` naming the flag and the accepted spellings, before anything is read.
 */
export function normalizeBooleanFlags(args: readonly string[], env: Environment): NormalizedBooleanFlags {
  const out: string[] = [];
  const overrides: Record<string, string> = {};
  let index = 0;
  for (; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    if (arg === '--') break;
    const spelled = spellingOf(arg);
    if (spelled === undefined) {
      out.push(arg);
      continue;
    }
    const { flag, value } = spelled;
    if (flag.envOnly === true && flag.envName !== undefined) overrides[flag.envName] = value ? '1' : '0';
    else if (value) out.push(`--${flag.name}`);
    else if (flag.envName !== undefined) overrides[flag.envName] = 'false';
  }
  out.push(...args.slice(index));
  return { args: out, env: Object.keys(overrides).length === 0 ? env : { ...env, ...overrides } };
}

/** The flag and its meaning when `arg` spells a known boolean flag; undefined for any other argument. */
function spellingOf(arg: string): { flag: BooleanFlag; value: boolean } | undefined {
  if (!arg.startsWith('--')) return undefined;
  const body = arg.slice(2);
  const equals = body.indexOf('=');
  const name = equals === -1 ? body : body.slice(0, equals);
  const inline = equals === -1 ? undefined : body.slice(equals + 1);
  const flag = BY_NAME.get(name);
  if (flag !== undefined) {
    if (inline === undefined || inline === 'true') return { flag, value: true };
    if (inline === 'false') return { flag, value: false };
    throw new UsageError(`--${name} does not take the value '${inline}'; use ${acceptedSpellings(name)}`);
  }
  if (!name.startsWith('no-')) return undefined;
  const negated = BY_NAME.get(name.slice(3));
  if (negated === undefined) return undefined;
  if (inline !== undefined) {
    throw new UsageError(`--${name} takes no value (got '${inline}'); use ${acceptedSpellings(negated.name)}`);
  }
  return { flag: negated, value: false };
}
