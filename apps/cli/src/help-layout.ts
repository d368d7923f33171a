// Help columns that stay readable: Tau's long option names
// (`--prompt-optimization-control-state-dir`) are listed once, in a section of
// their own, instead of beside every option (where they doubled the width of
// the first column and wrapped every description).
//
// yargs prints an option's aliases beside it and has no way to hide one, so
// only while rendering help (the argv asks for --help) is the Tau name
// declared as a hidden option of its own rather than an alias; for every
// other parse it stays an alias, so both spellings mean exactly the same
// (the parser-parity tests hold the two parsers to that).
import type { Argv, Options } from 'yargs';
import { CONTROL_VALUE_OPTIONS, JSON_OPTION, TAU_FLAG_PREFIX } from './control-option-table.js';

let renderingHelp = false;

/**
 * Declares whether the parse about to run renders help (`--help`/`-h`
 * before any `--`). Set by the yargs definition at the start of each parse;
 * parsing is synchronous, so no other parse can see it.
 */
export function setHelpRendering(args: readonly string[]): void {
  const end = args.indexOf('--');
  const options = end === -1 ? args : args.slice(0, end);
  renderingHelp = options.includes('--help') || options.includes('-h');
}

/** `name` with Tau's `tauName` as its alias (shown in the Tau section, not beside it, in help). */
export function withTauAliases<T>(argv: Argv<T>, name: string, tauName: string, options: Options): Argv<T> {
  if (!renderingHelp) return argv.option(name, { ...options, alias: tauName }) as Argv<T>;
  return argv.option(name, options).option(tauName, { type: options.type, hidden: true }) as Argv<T>;
}

/** Help text with the Tau section appended once, when the page lists an option that has a Tau name. */
export function withTauSpellingSection(helpText: string): string {
  if (!renderingHelp) return helpText;
  const listsTauOption = [...CONTROL_VALUE_OPTIONS.map((option) => option.name), JSON_OPTION.name].some((name) =>
    new RegExp(`^\\s+--${name}\\s`, 'm').test(helpText),
  );
  return listsTauOption ? `${helpText}\n\n${tauSpellingHelpSection()}` : helpText;
}

/** The help section listing Tau's spellings once. */
export function tauSpellingHelpSection(): string {
  const rows: [string, string][] = [
    ...CONTROL_VALUE_OPTIONS.map((option): [string, string] => [`--${option.tauName}`, `--${option.name}`]),
    [`--${JSON_OPTION.tauName}`, `--${JSON_OPTION.name}`],
    [`--${TAU_FLAG_PREFIX}<status|pause|resume|cancel>`, 'that command'],
    [`--${TAU_FLAG_PREFIX}rollback <checkpoint>`, 'rollback <checkpoint>'],
  ];
  const width = Math.max(...rows.map(([tau]) => tau.length));
  return ["Tau's spelling (each long name means the same as ours):", ...rows.map(([tau, ours]) => `  ${tau.padEnd(width)}  = ${ours}`)].join('\n');
}
