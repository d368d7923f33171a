// Two promises of the command line, through the built bin:
// - a path that does not exist is an error naming it (exit 1), never an
//   empty success (`audit verify` on a mistyped state dir once said "chain intact");
// - with --json (either spelling), a failure leaves stdout empty and prints
//   the one-line cause chain on stderr, for every kind of failure (usage 2,
//   failure 1, denied 3, guardrail 4, busy 5) and every command.
import fs from 'node:fs';
import path from 'node:path';
import { acquireStateDirLock } from '@tau/durable-fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTauPo } from './built-cli.js';
import {
  controlState,
  createCliWorkspace,
  removeCliWorkspace,
  tauAuditRows,
  trainingStatus,
  writeStateDir,
  type CliWorkspace,
} from './state-dir-fixture.js';

let ws: CliWorkspace;
beforeEach(() => {
  ws = createCliWorkspace();
});
afterEach(() => removeCliWorkspace(ws.workDir));

const opts = () => ['--rbac-policy', ws.policyPath, '--principal', 'local:rl-operator'];

describe('a path that does not exist: exit 1 naming it, nothing created', () => {
  const cases: Array<[string, (missing: string) => string[], (missing: string) => string]> = [
    ['audit verify', (m) => ['audit', 'verify', '--state-dir', m], (m) => `state directory '${m}' does not exist`],
    ['audit verify --json', (m) => ['audit', 'verify', '--state-dir', m, '--json'], (m) => `state directory '${m}' does not exist`],
    ['audit timeline', (m) => ['audit', 'timeline', '--state-dir', m], (m) => `state directory '${m}' does not exist`],
    ['audit timeline --json', (m) => ['audit', 'timeline', '--state-dir', m, '--json'], (m) => `state directory '${m}' does not exist`],
    ['doctor', (m) => ['doctor', '--state-dir', m, ...opts()], (m) => `state directory '${m}' does not exist`],
    ['doctor --json', (m) => ['doctor', '--state-dir', m, ...opts(), '--json'], (m) => `state directory '${m}' does not exist`],
    ['checkpoint inspect', (m) => ['checkpoint', 'inspect', path.join(m, 'ck.json')], (m) => `${m}/ck.json`],
    ['checkpoint inspect --json', (m) => ['checkpoint', 'inspect', path.join(m, 'ck.json'), '--json'], (m) => `${m}/ck.json`],
    ['checkpoint verify', (m) => ['checkpoint', 'verify', path.join(m, 'ck.json')], (m) => `${m}/ck.json`],
  ];
  it.each(cases)('%s', (_name, args, named) => {
    const missing = path.join(ws.workDir, 'no-such-dir');
    const run = runTauPo(args(missing), { cwd: ws.workDir });
    expect(run.status, run.stderr).toBe(1);
    // inspect/audit/doctor fail (stderr); verify answers "invalid" on stdout: either way the path is named.
    expect(`${run.stdout}${run.stderr}`).toContain(named(missing));
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('an existing but empty state directory is still a report, not an error', () => {
    fs.mkdirSync(ws.stateDir);
    expect(runTauPo(['audit', 'verify', '--state-dir', ws.stateDir]).status).toBe(0);
    expect(runTauPo(['audit', 'timeline', '--state-dir', ws.stateDir]).stdout).toBe('(no audit rows)\n');
  });
});

describe('--json failures: stdout empty, one line on stderr', () => {
  const jsonSpellings = ['--json', '--json=true', '--prompt-optimization-control-json'];
  const cases: Array<{ name: string; status: number; args: () => string[]; setup?: () => (() => void) | void; message: RegExp }> = [
    { name: 'usage: bad boolean spelling', status: 2, args: () => ['resume', '--dry-run=yes'], message: /^--dry-run does not take the value 'yes'/ },
    { name: 'usage: unknown flag', status: 2, args: () => ['status', '--bogus'], message: /^Unknown argument/ },
    { name: 'usage: no action', status: 2, args: () => [], message: /^no control action given/ },
    {
      name: 'failure: corrupt control state',
      status: 1,
      setup: () => {
        writeStateDir(ws.stateDir, {});
        fs.writeFileSync(path.join(ws.stateDir, 'control-state.json'), '[]');
      },
      args: () => ['status', '--state-dir', ws.stateDir, ...opts()],
      message: /^failed to parse training control state/,
    },
    {
      name: 'failure: hostile path in the message stays one line',
      status: 1,
      setup: () => {
        const dir = path.join(ws.workDir, 'a\nb\u001b[2J');
        writeStateDir(dir, {});
        fs.writeFileSync(path.join(dir, 'control-state.json'), '[]');
      },
      args: () => ['status', '--state-dir', path.join(ws.workDir, 'a\nb\u001b[2J'), ...opts()],
      message: /a\\nb\\u\{1b\}\[2J/,
    },
    { name: 'failure: audit verify, missing dir', status: 1, args: () => ['audit', 'verify', '--state-dir', ws.stateDir], message: /does not exist$/ },
    { name: 'failure: doctor, missing dir', status: 1, args: () => ['doctor', '--state-dir', ws.stateDir, ...opts()], message: /does not exist$/ },
    { name: 'failure: checkpoint inspect', status: 1, args: () => ['checkpoint', 'inspect', path.join(ws.workDir, 'none.json')], message: /none\.json/ },
    {
      name: 'failure: rbac whoami, unreadable policy',
      status: 1,
      setup: () => fs.writeFileSync(ws.policyPath, '{'),
      args: () => ['rbac', 'whoami', '--rbac-policy', ws.policyPath],
      message: /rbac/,
    },
    {
      name: 'denied',
      status: 3,
      args: () => ['pause', '--state-dir', ws.stateDir, '--rbac-policy', ws.policyPath, '--principal', 'local:observer'],
      message: /^failed to authorize/,
    },
    {
      name: 'guardrail: crash without a usable checkpoint',
      status: 4,
      setup: () =>
        writeStateDir(ws.stateDir, {
          controlState: controlState('running', 'resume'),
          auditRows: tauAuditRows(2),
          trainingStatus: trainingStatus('running'),
          primaryCheckpoint: '{"checkpoint_version": 1',
        }),
      args: () => ['resume', '--state-dir', ws.stateDir, ...opts()],
      message: /checkpoint/,
    },
    {
      name: 'busy',
      status: 5,
      setup: () => {
        writeStateDir(ws.stateDir, { controlState: controlState('paused', 'pause') });
        const lock = acquireStateDirLock(ws.stateDir, { command: 'json-failure-test' });
        return () => lock.release();
      },
      args: () => ['resume', '--state-dir', ws.stateDir, ...opts()],
      message: /state directory is busy/,
    },
    {
      name: 'busy: lock break refused',
      status: 5,
      setup: () => {
        writeStateDir(ws.stateDir, { controlState: controlState('paused', 'pause') });
        const lock = acquireStateDirLock(ws.stateDir, { command: 'json-failure-test' });
        return () => lock.release();
      },
      args: () => ['lock', 'break', '--state-dir', ws.stateDir, ...opts()],
      message: /refusing to break the lock/,
    },
  ];
  for (const testCase of cases) {
    it.each(jsonSpellings)(`${testCase.name} (exit ${testCase.status}) with %s`, (spelling) => {
      const cleanup = testCase.setup?.();
      try {
        const run = runTauPo([...testCase.args(), spelling], { cwd: ws.workDir });
        expect(run.stdout).toBe('');
        expect(run.status, run.stderr).toBe(testCase.status);
        const lines = run.stderr.split('\n');
        expect(lines[0]).toMatch(testCase.message);
        // Usage errors add the one usage hint line; everything else is exactly one line.
        expect(lines).toHaveLength(testCase.status === 2 ? 3 : 2);
        expect(lines.at(-1)).toBe('');
      } finally {
        if (typeof cleanup === 'function') cleanup();
      }
    });
  }

  it('the environment variable form too', () => {
    const run = runTauPo(['audit', 'verify', '--state-dir', ws.stateDir], { env: { TAU_PROMPT_OPTIMIZATION_CONTROL_JSON: 'true' } });
    expect(run).toMatchObject({ status: 1, stdout: '' });
  });
});
