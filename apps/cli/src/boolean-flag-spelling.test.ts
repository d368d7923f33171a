// Every boolean flag x every spelling, through the shared spelling check and
// then both parsers (the fast util.parseArgs path and the yargs definition),
// plus the serve/token parser. Only `--flag`, `--flag=true`, `--flag=false`
// and `--no-flag` are accepted; each means what it says in every parser.
import { describe, expect, it } from 'vitest';
import { UsageError } from '@tau/recovery';
import { canonicalBooleanFlags } from './boolean-flag-spelling.js';
import type { CliInvocation } from './cli-invocation.js';
import type { Environment } from './control-environment.js';
import { resolveControlInvocation } from './control-invocation.js';
import { BOOLEAN_FLAG_NAMES, CONTROL_ACTIONS, TAU_ENV_PREFIX } from './control-option-table.js';
import { parseControlArgvFast } from './fast-control-argv.js';
import { parseCommandLine } from './parse-command-line.js';
import { parseServerCommandOptions } from './server/server-command-options.js';
import { parseCommandLineWithYargs } from './yargs-command-line.js';

const ACCEPTED_SPELLINGS: ReadonlyArray<{ spell: (flag: string) => string; value: boolean }> = [
  { spell: (flag) => `--${flag}`, value: true },
  { spell: (flag) => `--${flag}=true`, value: true },
  { spell: (flag) => `--${flag}=false`, value: false },
  { spell: (flag) => `--no-${flag}`, value: false },
];

const REFUSED_VALUES = ['1', '0', 'yes', 'no', 'on', 'off', 'TRUE', 'False', 'y', '', ' true', 'true ', 'tru', '"true"', 'true\n'];
const REFUSED_SPELLINGS: ReadonlyArray<(flag: string) => string[]> = [
  ...REFUSED_VALUES.map((value) => (flag: string) => [`--${flag}=${value}`]),
  (flag) => [`--no-${flag}=true`],
  (flag) => [`--no-${flag}=false`],
  (flag) => [`--no-${flag}=`],
  (flag) => [`--${flag}`, 'true'],
  (flag) => [`--${flag}`, 'false'],
];

/** Where each control boolean flag is valid, and how to read its value back from the invocation. */
interface FlagCase {
  readonly flag: string;
  readonly args: readonly string[];
  readonly env: Environment;
  /** The flag's effective value, read from the parsed invocation. */
  readonly read: (invocation: CliInvocation) => boolean;
}

const json = (invocation: CliInvocation): boolean => 'json' in invocation && invocation.json;
const PAUSE_ENV = { [`${TAU_ENV_PREFIX}PAUSE`]: 'true' };
const JSON_ENV = { [`${TAU_ENV_PREFIX}JSON`]: 'true' };

const CONTROL_CASES: FlagCase[] = [
  // The environment says true: an explicit false must win over it.
  { flag: 'json', args: ['status'], env: JSON_ENV, read: json },
  { flag: 'prompt-optimization-control-json', args: ['--prompt-optimization-control-status'], env: JSON_ENV, read: json },
  {
    flag: 'dry-run',
    args: ['resume'],
    env: {},
    read: (invocation) => invocation.kind === 'control' && invocation.request.action === 'resume' && invocation.request.dryRun === true,
  },
  ...CONTROL_ACTIONS.filter((action) => action !== 'rollback' && action !== 'pause').map(
    (action): FlagCase => ({
      flag: `prompt-optimization-control-${action}`,
      // With the flag false, the environment's pause is the action; with it true, the flag's action.
      args: [],
      env: PAUSE_ENV,
      read: (invocation) => invocation.kind === 'control' && invocation.request.action === action,
    }),
  ),
  {
    // The environment names pause; `--prompt-optimization-control-pause=false` declines it, so status runs.
    flag: 'prompt-optimization-control-pause',
    args: [],
    env: { ...PAUSE_ENV, [`${TAU_ENV_PREFIX}STATUS`]: 'true' },
    read: (invocation) => invocation.kind === 'control' && invocation.request.action === 'pause',
  },
  { flag: 'json', args: ['doctor'], env: JSON_ENV, read: json },
  { flag: 'json', args: ['audit', 'verify'], env: JSON_ENV, read: json },
  { flag: 'json', args: ['audit', 'timeline'], env: JSON_ENV, read: json },
  { flag: 'json', args: ['checkpoint', 'inspect', 'x.json'], env: JSON_ENV, read: json },
  { flag: 'json', args: ['rbac', 'whoami'], env: JSON_ENV, read: json },
  { flag: 'json', args: ['rbac', 'check', 'pause'], env: JSON_ENV, read: json },
  { flag: 'json', args: ['lock', 'status'], env: JSON_ENV, read: json },
  { flag: 'json', args: ['schemas', 'export', 'out'], env: JSON_ENV, read: json },
];

function capture<T>(run: () => T): { ok: T } | { error: Error } {
  try {
    return { ok: run() };
  } catch (error) {
    return { error: error as Error };
  }
}

describe('boolean flag spellings: accepted ones mean what they say in both parsers', () => {
  for (const { flag, args, env, read } of CONTROL_CASES) {
    for (const { spell, value } of ACCEPTED_SPELLINGS) {
      const spelled = [...args, spell(flag)];
      it(`${spelled.join(' ')} is ${value}`, async () => {
        // The first action flag of the table with value false leaves no action unless the env names one.
        const invocation = await parseCommandLine(spelled, env);
        expect(read(invocation)).toBe(value);
        const canonical = canonicalBooleanFlags(spelled, BOOLEAN_FLAG_NAMES);
        const viaYargs = parseCommandLineWithYargs(canonical, env);
        expect(viaYargs).toEqual(invocation);
        const fast = parseControlArgvFast(canonical);
        if (invocation.kind === 'control') {
          expect(fast, 'the fast path reads every canonical spelling of a control command').toBeDefined();
          if (fast !== undefined) expect(resolveControlInvocation(fast, env)).toEqual(invocation);
        }
      });
    }
  }
});

describe('boolean flag spellings: anything else is a usage error naming the flag', () => {
  const everyFlag = [...BOOLEAN_FLAG_NAMES];
  for (const flag of everyFlag) {
    for (const spell of REFUSED_SPELLINGS) {
      const spelled = spell(flag);
      it(`${JSON.stringify(spelled)} is refused`, async () => {
        for (const prefix of [['status'], ['resume'], ['doctor'], []]) {
          const failure = capture(() => canonicalBooleanFlags([...prefix, ...spelled], BOOLEAN_FLAG_NAMES));
          expect(failure).toMatchObject({ error: expect.any(UsageError) });
          if ('error' in failure) {
            expect(failure.error.message).toContain(`boolean flag --${flag};`);
            expect(failure.error.message).toContain(`accepted: --${flag}, --${flag}=true, --${flag}=false or --no-${flag}`);
          }
          await expect(parseCommandLine([...prefix, ...spelled], {})).rejects.toBeInstanceOf(UsageError);
        }
      });
    }
  }

  it('refuses --no- on a value option (it would read as "not given")', () => {
    for (const name of ['state-dir', 'rbac-policy', 'principal', 'prompt-optimization-control-rollback', 'listen']) {
      expect(() => canonicalBooleanFlags(['status', `--no-${name}`], BOOLEAN_FLAG_NAMES)).toThrow(UsageError);
    }
  });

  it('leaves everything after a lone -- alone', () => {
    expect(canonicalBooleanFlags(['status', '--', '--json=1'], BOOLEAN_FLAG_NAMES)).toEqual(['status', '--', '--json=1']);
  });
});

describe('the serve/token parser shares the check', () => {
  const options = { json: { type: 'boolean' }, 'insecure-http': { type: 'boolean' }, label: { type: 'string' } } as const;
  it.each(ACCEPTED_SPELLINGS)('accepts %o', ({ spell, value }) => {
    for (const flag of ['json', 'insecure-http']) {
      expect(parseServerCommandOptions('token list', [spell(flag)], options, 0).values[flag]).toBe(value);
    }
  });
  it.each(REFUSED_SPELLINGS)('refuses %s', (spell) => {
    for (const flag of ['json', 'insecure-http']) {
      expect(() => parseServerCommandOptions('token list', spell(flag), options, 0)).toThrow(
        new RegExp(`boolean flag --${flag}; accepted: `),
      );
    }
  });
});

describe('BOOLEAN_FLAG_NAMES covers every boolean flag of every yargs command', () => {
  const commands = [
    [], ['status'], ['pause'], ['resume'], ['cancel'], ['rollback'], ['doctor'], ['audit', 'verify'],
    ['audit', 'repair'], ['audit', 'timeline'], ['checkpoint', 'inspect'], ['checkpoint', 'verify'],
    ['rbac', 'check'], ['rbac', 'whoami'], ['schemas', 'export'], ['lock', 'status'], ['lock', 'break'],
  ];
  it.each(commands)('%s --help', (...command) => {
    const invocation = parseCommandLineWithYargs([...command, '--help'], {}, 200);
    expect(invocation.kind).toBe('help');
    if (invocation.kind !== 'help') return;
    // `  -h, --help   Show help   [boolean]`; a long description wraps, so the
    // type tag may sit on a later line than the option's name.
    const booleans: Array<string | undefined> = [];
    let current: string | undefined;
    for (const line of invocation.text.split('\n')) {
      const name = /^\s+(?:-\w, )?--([a-z][a-z-]*)/.exec(line)?.[1];
      if (name !== undefined) current = name;
      if (line.includes('[boolean]')) booleans.push(current);
    }
    expect(booleans.length).toBeGreaterThan(0);
    for (const name of booleans) expect(BOOLEAN_FLAG_NAMES.has(name ?? '(unnamed)'), `--${name}`).toBe(true);
  });
});
