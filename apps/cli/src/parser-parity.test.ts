// The fast parser and the yargs definition must agree: same ControlRequest
// (and json flag) for every argv/env the fast parser accepts, same usage
// error otherwise. A table of the forms operators type, then random argv.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Environment } from './control-environment.js';
import { resolveControlInvocation } from './control-invocation.js';
import { parseControlArgvFast } from './fast-control-argv.js';
import { parseCommandLine } from './parse-command-line.js';
import { parseCommandLineWithYargs } from './yargs-command-line.js';

type Outcome = { ok: unknown } | { usage: string; name: string };

function capture(run: () => unknown): Outcome {
  try {
    return { ok: run() };
  } catch (error) {
    const failure = error as Error;
    return { usage: failure.message, name: failure.name };
  }
}

/** The outcome through the fast parser, or undefined when it defers. */
function fastOutcome(args: readonly string[], env: Environment): Outcome | undefined {
  const parsed = parseControlArgvFast(args);
  return parsed === undefined ? undefined : capture(() => resolveControlInvocation(parsed, env));
}

function yargsOutcome(args: readonly string[], env: Environment): Outcome {
  return capture(() => parseCommandLineWithYargs(args, env));
}

const E = 'TAU_PROMPT_OPTIMIZATION_CONTROL_';
const STANDARD = [
  '--prompt-optimization-control-resume',
  '--prompt-optimization-control-state-dir', '.tau/prompt-optimization',
  '--prompt-optimization-control-rbac-policy', '.tau/rbac-policy.json',
  '--prompt-optimization-control-principal', 'local:rl-operator',
  '--prompt-optimization-control-json',
];

const ACCEPTED: Array<{ args: string[]; env?: Environment; expected: unknown }> = [
  {
    args: STANDARD,
    expected: {
      kind: 'control',
      json: true,
      request: {
        action: 'resume',
        stateDir: '.tau/prompt-optimization',
        rbacPolicyPath: '.tau/rbac-policy.json',
        principal: 'local:rl-operator',
      },
    },
  },
  {
    args: ['resume', '--state-dir', 'd', '--rbac-policy', 'p.json', '--principal', 'local:x', '--json'],
    expected: { kind: 'control', json: true, request: { action: 'resume', stateDir: 'd', rbacPolicyPath: 'p.json', principal: 'local:x' } },
  },
  {
    args: ['status'],
    expected: { kind: 'control', json: false, request: { action: 'status', stateDir: '.tau/training', rbacPolicyPath: '.tau/security/rbac.json' } },
  },
  {
    args: ['pause', '--state-dir=d'],
    expected: { kind: 'control', json: false, request: { action: 'pause', stateDir: 'd', rbacPolicyPath: '.tau/security/rbac.json' } },
  },
  {
    args: ['rollback', 'ck.json', '--state-dir', 'd'],
    expected: { kind: 'control', json: false, request: { action: 'rollback', rollbackCheckpoint: 'ck.json', stateDir: 'd', rbacPolicyPath: '.tau/security/rbac.json' } },
  },
  {
    args: ['--prompt-optimization-control-rollback', './ck.json'],
    expected: { kind: 'control', json: false, request: { action: 'rollback', rollbackCheckpoint: './ck.json', stateDir: '.tau/training', rbacPolicyPath: '.tau/security/rbac.json' } },
  },
  {
    args: ['cancel'],
    env: { [`${E}STATE_DIR`]: 'e', [`${E}RBAC_POLICY`]: 'q.json', [`${E}PRINCIPAL`]: 'ci:nightly', [`${E}JSON`]: '1' },
    expected: { kind: 'control', json: true, request: { action: 'cancel', stateDir: 'e', rbacPolicyPath: 'q.json', principal: 'ci:nightly' } },
  },
  {
    args: ['cancel', '--state-dir', 'flag', '--principal', 'p:flag'],
    env: { [`${E}STATE_DIR`]: 'env', [`${E}PRINCIPAL`]: 'p:env', [`${E}JSON`]: 'false' },
    expected: { kind: 'control', json: false, request: { action: 'cancel', stateDir: 'flag', rbacPolicyPath: '.tau/security/rbac.json', principal: 'p:flag' } },
  },
  {
    args: [],
    env: { [`${E}RESUME`]: 'TRUE', [`${E}PAUSE`]: 'false' },
    expected: { kind: 'control', json: false, request: { action: 'resume', stateDir: '.tau/training', rbacPolicyPath: '.tau/security/rbac.json' } },
  },
  {
    args: ['--json'],
    env: { [`${E}ROLLBACK`]: 'ck.json', [`${E}STATE_DIR`]: '' },
    expected: { kind: 'control', json: true, request: { action: 'rollback', rollbackCheckpoint: 'ck.json', stateDir: '.tau/training', rbacPolicyPath: '.tau/security/rbac.json' } },
  },
  {
    args: ['pause'],
    env: { [`${E}RESUME`]: 'true' },
    expected: { kind: 'control', json: false, request: { action: 'pause', stateDir: '.tau/training', rbacPolicyPath: '.tau/security/rbac.json' } },
  },
  {
    args: ['resume', '--dry-run', '--state-dir', 'd'],
    expected: { kind: 'control', json: false, request: { action: 'resume', stateDir: 'd', rbacPolicyPath: '.tau/security/rbac.json', dryRun: true } },
  },
  {
    args: ['--prompt-optimization-control-resume', '--dry-run'],
    expected: { kind: 'control', json: false, request: { action: 'resume', stateDir: '.tau/training', rbacPolicyPath: '.tau/security/rbac.json', dryRun: true } },
  },
  {
    args: ['resume', '--prompt-optimization-control-resume', '--state-dir', 'a', '--state-dir', 'b'],
    expected: { kind: 'control', json: false, request: { action: 'resume', stateDir: 'b', rbacPolicyPath: '.tau/security/rbac.json' } },
  },
  {
    args: ['status', '--principal', '  '],
    expected: { kind: 'control', json: false, request: { action: 'status', stateDir: '.tau/training', rbacPolicyPath: '.tau/security/rbac.json', principal: '  ' } },
  },
];

const REJECTED: Array<{ args: string[]; env?: Environment; message: RegExp }> = [
  { args: [], message: /^no control action given; choose exactly one of: status, pause, resume, cancel, rollback <checkpoint>$/ },
  { args: ['--state-dir', 'd', '--json'], message: /^no control action given/ },
  { args: ['pause', '--prompt-optimization-control-resume'], message: /^conflicting control actions \(pause, resume\); choose exactly one of: status, pause, resume, cancel, rollback <checkpoint>$/ },
  { args: ['--prompt-optimization-control-pause', '--prompt-optimization-control-cancel'], message: /^conflicting control actions \(pause, cancel\)/ },
  { args: [], env: { [`${E}PAUSE`]: 'true', [`${E}CANCEL`]: '1' }, message: /^conflicting control actions \(pause, cancel\)/ },
  { args: ['status', '--dry-run'], message: /--dry-run is only accepted by resume, not 'status'/ },
  { args: ['status'], env: { [`${E}JSON`]: 'yes' }, message: /^TAU_PROMPT_OPTIMIZATION_CONTROL_JSON must be true, false, 1 or 0 \(got 'yes'\)$/ },
  { args: ['rollback', ''], message: /rollback requires a checkpoint path/ },
  { args: ['status', '--state-dir', ''], message: /state dir must not be empty/ },
];

describe('fast parser and yargs definition', () => {
  it.each(ACCEPTED)('accept $args identically', ({ args, env = {}, expected }) => {
    const fast = fastOutcome(args, env);
    expect(fast, 'the fast parser must handle this form itself').toEqual({ ok: expected });
    expect(yargsOutcome(args, env)).toEqual({ ok: expected });
  });

  it.each(REJECTED)('reject $args with the same usage error', ({ args, env = {}, message }) => {
    const fast = fastOutcome(args, env);
    const full = yargsOutcome(args, env);
    expect(fast, 'the fast parser must read this form (then find the usage error)').toBeDefined();
    expect(full).toMatchObject({ name: 'UsageError', usage: expect.stringMatching(message) });
    expect(fast).toEqual(full);
  });

  it.each([
    [['--help']],
    [['resume', '--help']],
    [['doctor']],
    [['resume', '--unknown-flag']],
    [['resume', '--state-dir']],
    [['resume', '--principal', '--json']],
    [['rollback']],
    [['frobnicate']],
    [['resume', 'extra']],
    [['--json=false', 'status']],
  ])('defer %j to the yargs definition', (args) => {
    expect(parseControlArgvFast(args)).toBeUndefined();
  });

  it('agree on random argv and environments', () => {
    const value = fc.constantFrom('d', 'x/y.json', 'local:a', '', '-v', 'status', 'true', ' ');
    const token = fc.oneof(
      fc.constantFrom('status', 'pause', 'resume', 'cancel', 'rollback', '--json', '--dry-run', '--prompt-optimization-control-json'),
      fc.constantFrom(
        '--prompt-optimization-control-status', '--prompt-optimization-control-pause',
        '--prompt-optimization-control-resume', '--prompt-optimization-control-cancel',
      ),
      fc.tuple(
        fc.constantFrom('--state-dir', '--rbac-policy', '--principal', '--prompt-optimization-control-state-dir',
          '--prompt-optimization-control-principal', '--prompt-optimization-control-rollback'),
        value,
        fc.boolean(),
      ).map(([flag, text, inline]) => (inline ? [`${flag}=${text}`] : [flag, text])),
      value,
    );
    const argv = fc.array(token, { maxLength: 6 }).map((tokens) => tokens.flat());
    const env = fc.dictionary(
      fc.constantFrom(`${E}STATUS`, `${E}PAUSE`, `${E}RESUME`, `${E}ROLLBACK`, `${E}STATE_DIR`, `${E}JSON`, `${E}PRINCIPAL`),
      fc.constantFrom('true', 'false', '1', '0', '', 'dir', 'yes'),
      { maxKeys: 3 },
    );
    let compared = 0;
    fc.assert(
      fc.property(argv, env, (args, environment) => {
        const fast = fastOutcome(args, environment);
        if (fast === undefined) return;
        compared += 1;
        expect(fast).toEqual(yargsOutcome(args, environment));
      }),
      { numRuns: 400 },
    );
    // The property must not pass by deferring everything.
    expect(compared).toBeGreaterThan(50);
  });
});

describe('parseCommandLine', () => {
  it('ignores one leading -- (pnpm start passes it through)', async () => {
    const invocation = await parseCommandLine(['--', 'status', '--state-dir', 'd'], {});
    expect(invocation).toMatchObject({ kind: 'control', request: { action: 'status', stateDir: 'd' } });
  });

  it('words usage errors from the fast path through the yargs definition', async () => {
    await expect(parseCommandLine(['pause', '--prompt-optimization-control-cancel'], {})).rejects.toThrow(
      /^conflicting control actions \(pause, cancel\)/,
    );
  });

  it('returns help text with an example for every command', async () => {
    const commands = [
      [], ['status'], ['pause'], ['resume'], ['cancel'], ['rollback'], ['doctor'], ['audit'], ['audit', 'verify'],
      ['audit', 'repair'], ['audit', 'accept'], ['audit', 'timeline'], ['checkpoint'], ['checkpoint', 'inspect'], ['checkpoint', 'verify'],
      ['rbac'], ['rbac', 'check'], ['rbac', 'whoami'], ['schemas'], ['schemas', 'export'],
    ];
    for (const command of commands) {
      const invocation = await parseCommandLine([...command, '--help'], {});
      expect(invocation.kind, command.join(' ')).toBe('help');
      if (invocation.kind === 'help') expect(invocation.text, command.join(' ')).toMatch(/Examples:\n\s+tau-po /);
    }
  });
});
