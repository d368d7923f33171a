// Chooses the parser: the fast one for the control commands' argv forms,
// the complete yargs definition (imported only then) for everything else.
import { UsageError } from '@tau/recovery';
import { normalizeBooleanFlags } from './boolean-flag-spelling.js';
import type { CliInvocation } from './cli-invocation.js';
import type { Environment } from './control-environment.js';
import { resolveControlInvocation } from './control-invocation.js';
import { parseControlArgvFast } from './fast-control-argv.js';

/** Drops the one leading `--` that `pnpm start -- ...` passes through literally. */
export function dropLeadingSeparator(args: readonly string[]): string[] {
  return args[0] === '--' ? args.slice(1) : [...args];
}

/**
 * The invocation for an argv (already without node and script) and
 * environment. Boolean flags are brought to one spelling first (a wrong
 * value is a usage error there); every other usage error is worded by the
 * yargs definition, so the fast path can never give a different message.
 *
 * @param columns the terminal width for help text (asked only when yargs is needed).
 * @throws UsageError
 */
export async function parseCommandLine(
  rawArgs: readonly string[],
  env: Environment,
  columns: () => number | undefined = () => undefined,
): Promise<CliInvocation> {
  // Boolean flags first, in one place for both parsers (throws UsageError for `--json=1`).
  const { args, env: effectiveEnv } = normalizeBooleanFlags(dropLeadingSeparator(rawArgs), env);
  const fast = parseControlArgvFast(args);
  if (fast !== undefined) {
    try {
      return resolveControlInvocation(fast, effectiveEnv);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
    }
  }
  // A dynamic import: the bundler keeps yargs' module initialisation lazy.
  const { parseCommandLineWithYargs } = await import('./yargs-command-line.js');
  return parseCommandLineWithYargs(args, effectiveEnv, columns());
}
