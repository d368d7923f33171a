// The vocabulary that typo suggestions and completion use is the parser's own:
// every command and subcommand has a help page, and every option appears on one.
import { describe, expect, it } from 'vitest';
import { COMMAND_TREE, optionNames } from './command-line-vocabulary.js';
import { parseCommandLine } from './parse-command-line.js';

/** serve and token run in the server bundle, which parses its own argv. */
const SERVER_BUNDLE = new Set(['serve', 'token']);

async function helpText(args: string[]): Promise<string> {
  const invocation = await parseCommandLine([...args, '--help'], {});
  expect(invocation.kind, args.join(' ')).toBe('help');
  return invocation.kind === 'help' ? invocation.text : '';
}

describe('command-line vocabulary', () => {
  it('names exactly the commands of the top-level help', async () => {
    const top = await helpText([]);
    const listed = [...top.matchAll(/^ {2}tau-po ([a-z]+)/gm)].map((match) => match[1]);
    expect(listed.sort()).toEqual(Object.keys(COMMAND_TREE).sort());
  });

  it('has a help page for every command and subcommand', async () => {
    for (const [command, subcommands] of Object.entries(COMMAND_TREE)) {
      if (SERVER_BUNDLE.has(command)) continue;
      await helpText([command]);
      for (const subcommand of subcommands) if (command !== 'completion') await helpText([command, subcommand]);
    }
  });

  it('lists only options some help page shows', async () => {
    const pages: string[] = [await helpText([])];
    for (const [command, subcommands] of Object.entries(COMMAND_TREE)) {
      if (SERVER_BUNDLE.has(command) || command === 'completion') continue;
      pages.push(await helpText([command]));
      for (const subcommand of subcommands) pages.push(await helpText([command, subcommand]));
    }
    const text = pages.join('\n');
    // Tau's action flags are listed once, as --prompt-optimization-control-<status|pause|resume|cancel>.
    const listed = (name: string) =>
      text.includes(`--${name}`) || text.includes(`--${name.replace(/(status|pause|resume|cancel)$/, '<status|pause|resume|cancel>')}`);
    for (const name of optionNames()) expect(listed(name.replace(/^no-/, '')), name).toBe(true);
  });
});
