// Chooses the parser: the fast one for the control commands' argv forms,
// the complete yargs definition (imported only then) for everything else.
import { UsageError } from '@tau/recovery';
import type { CliInvocation } from './cli-invocation.js';
import type { Environment } from './control-environment.js';
import { resolveControlInvocation } from './control-invocation.js';
import { parseControlArgvFast } from './fast-control-argv.js';
import { canonicalBooleanFlags } from './boolean-flag-spelling.js';
import { BOOLEAN_FLAG_NAMES } from './control-option-table.js';

/** Drops the one leading `--` that `pnpm start -- ...` passes through literally. */
export function dropLeadingSeparator(args: readonly string[]): string[] {
  return args[0] === '--' ? args.slice(1) : [...args];
}

/**
 * The invocation for an argv (already without node and script) and
 * environment. Usage errors are always worded by the yargs definition, so
 * the fast path can never give a different message than the full one.
 *
 * @param columns the terminal width for help text (asked only when yargs is needed).
 * @throws UsageError
 */
export async function parseCommandLine(
  rawArgs: readonly string[],
  env: Environment,
  columns: () => number | undefined = () => undefined,
): Promise<CliInvocation> {
  // Before either parser, so both read a boolean flag the same way (and nothing is read on a bad spelling).
  const args = canonicalBooleanFlags(dropLeadingSeparator(rawArgs), BOOLEAN_FLAG_NAMES);
  const fast = parseControlArgvFast(args);
  if (fast !== undefined) {
    try {
      return resolveControlInvocation(fast, env);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
    }
  }
  // A dynamic import: the bundler keeps yargs' module initialisation lazy.
  const { parseCommandLineWithYargs } = await import('./yargs-command-line.js');
  return parseCommandLineWithYargs(args, env, columns());
}
