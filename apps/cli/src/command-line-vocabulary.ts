// Every word tau-po's command line knows, in one place for the two things that
// need the whole list: typo suggestions (typo-suggestion.ts) and the shell
// completion script (completion-script.ts). command-line-vocabulary.test.ts
// checks each word against the real parser, so the list cannot drift.
import { CONTROL_ACTIONS, CONTROL_VALUE_OPTIONS, DRY_RUN_OPTION, JSON_OPTION, tauActionFlag } from './control-option-table.js';

/** Each command and its subcommands (serve and token run in their own bundle). */
export const COMMAND_TREE: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(CONTROL_ACTIONS.map((action) => [action, []])),
  doctor: [],
  audit: ['verify', 'repair', 'accept', 'timeline'],
  checkpoint: ['inspect', 'verify'],
  rbac: ['check', 'whoami'],
  lock: ['status', 'break'],
  schemas: ['export'],
  serve: [],
  token: ['create', 'list', 'revoke'],
  completion: ['bash', 'zsh'],
};

/** Every command and subcommand word. */
export function commandWords(): string[] {
  return [...new Set(Object.entries(COMMAND_TREE).flatMap(([command, subcommands]) => [command, ...subcommands]))];
}

/** Every long option, without its dashes: ours, then Tau's spellings. */
export function optionNames(): string[] {
  return [
    ...CONTROL_VALUE_OPTIONS.map((option) => option.name),
    JSON_OPTION.name,
    DRY_RUN_OPTION.name,
    'reason',
    'help',
    'version',
    'color',
    'no-color',
    ...CONTROL_VALUE_OPTIONS.map((option) => option.tauName),
    JSON_OPTION.tauName,
    ...CONTROL_ACTIONS.map(tauActionFlag),
  ];
}
