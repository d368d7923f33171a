// The one check of boolean flag spellings, applied to the raw argv before any
// parser sees it (the fast path, yargs, and the serve/token parser). Parsers
// disagree about `--flag=1`, `--flag=yes` or `--flag=` (yargs reads them as
// false or true by its own rules), so a boolean flag may only be spelled
// `--flag`, `--flag=true`, `--flag=false` or `--no-flag`; anything else is a
// usage error naming the flag, so `resume --dry-run=1` can never resume.
import { UsageError } from '@tau/recovery';

/** The accepted spellings of a boolean flag, as usage errors and docs list them. */
export function booleanFlagSpellings(name: string): string {
  return `--${name}, --${name}=true, --${name}=false or --no-${name}`;
}

function refuse(name: string, given: string): never {
  throw new UsageError(
    `invalid spelling '${given}' of boolean flag --${name}; accepted: ${booleanFlagSpellings(name)}`,
  );
}

/**
 * Checks every boolean flag token of `args` (everything before a lone `--`)
 * and returns argv with each one in a form every parser reads the same way:
 * `--flag` (true) or `--no-flag` (false). A boolean flag followed by a bare
 * `true`/`false` word is refused too: yargs would read the word as the flag's
 * value, `util.parseArgs` as a positional. Pure.
 *
 * @param booleanNames every boolean flag name any command takes (without `--`).
 * @throws UsageError naming the flag and the accepted spellings.
 */
export function canonicalBooleanFlags(args: readonly string[], booleanNames: ReadonlySet<string>): string[] {
  const result: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    if (arg === '--') {
      result.push(...args.slice(index));
      break;
    }
    if (!arg.startsWith('--')) {
      result.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
    const value = equals === -1 ? undefined : arg.slice(equals + 1);
    const negated = name.startsWith('no-') ? name.slice(3) : undefined;
    if (negated !== undefined) {
      // Parsers would read `--no-state-dir` as "state-dir = false", that is, as not given.
      if (!booleanNames.has(negated)) throw new UsageError(`Unknown argument: ${name} (only a boolean flag has a --no- form)`);
      if (value !== undefined) refuse(negated, arg);
      result.push(arg);
    } else if (booleanNames.has(name)) {
      if (value === undefined) {
        const next = args[index + 1];
        if (next === 'true' || next === 'false') refuse(name, `${arg} ${next}`);
        result.push(arg);
      } else if (value === 'true') {
        result.push(`--${name}`);
      } else if (value === 'false') {
        result.push(`--no-${name}`);
      } else {
        refuse(name, arg);
      }
    } else {
      result.push(arg);
    }
  }
  return result;
}
