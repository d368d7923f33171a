// Option parsing of `serve` and `token` (node:util parseArgs, strict: an
// unknown option, a missing value or an option given twice is a usage error).
// Not yargs: this bundle is loaded on its own, and these commands' options
// are few and flat.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '@tau/recovery';
import { canonicalBooleanFlags } from '../boolean-flag-spelling.js';

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Parsed options and positionals. */
export interface ParsedServerCommand {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parses `args` for `command` against `options`. @throws UsageError */
export function parseServerCommandOptions(command: string, args: readonly string[], options: OptionSpec, maxPositionals: number): ParsedServerCommand {
  // The spellings check every parser shares (`--json=1` is refused, `--json=false` is false).
  const booleanNames = new Set(Object.entries(options).filter(([, spec]) => spec.type === 'boolean').map(([name]) => name));
  const canonicalArgs = canonicalBooleanFlags(args, booleanNames);
  let parsed;
  try {
    parsed = parseArgs({ args: canonicalArgs, options, strict: true, allowPositionals: true, allowNegative: true, tokens: true });
  } catch (error) {
    throw new UsageError(`tau-po ${command}: ${(error as Error).message.replace(/\s*[\r\n]+\s*/g, ' ')}`);
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name)) throw new UsageError(`tau-po ${command}: option --${token.name} given more than once`);
    seen.add(token.name);
    if (typeof token.value === 'string' && token.value === '') throw new UsageError(`tau-po ${command}: option --${token.name} must not be empty`);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`tau-po ${command}: unexpected argument '${parsed.positionals[maxPositionals]}'`);
  }
  return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
}

/** A string option's value. */
export function stringOption(parsed: ParsedServerCommand, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}
