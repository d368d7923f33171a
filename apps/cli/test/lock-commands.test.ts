// `tau-po lock status|break`, and what every command and `doctor` do about the
// lock, through the built CLI: real holder processes (one in another PID
// namespace when `unshare` can make one), real signals, real files.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bundledRunnerPath, bundleTestRunners } from '@tau/vitest-config/bundle-test-runners';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runTauPo } from './built-cli.js';
import { createCliWorkspace, removeCliWorkspace, trainingStatus, writeStateDir } from './state-dir-fixture.js';

let runners: { outDir: string; remove: () => void };
beforeAll(async () => {
  runners = await bundleTestRunners({ runnersDir: path.join(import.meta.dirname, 'runners'), tempPrefix: 'tau-cli-runners-' });
});
afterAll(() => runners.remove());

let workDir: string;
let stateDir: string;
let policyPath: string;
let lockPath: string;
const holders: ChildProcess[] = [];

beforeEach(() => {
  ({ workDir, stateDir, policyPath } = createCliWorkspace());
  writeStateDir(stateDir, { trainingStatus: trainingStatus('completed') });
  lockPath = path.join(stateDir, '.tau-po.lock');
});

afterEach(async () => {
  for (const holder of holders.splice(0)) await kill(holder);
  removeCliWorkspace(workDir);
});

const who = (principal = 'local:rl-operator') => ['--state-dir', stateDir, '--rbac-policy', policyPath, '--principal', principal];

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** Starts a process holding the lock (through `prefix`, e.g. unshare); resolves once it holds it. */
async function startHolder(prefix: string[] = []): Promise<ChildProcess> {
  const args = [...prefix, process.execPath, bundledRunnerPath(runners.outDir, 'lock-holder'), stateDir];
  const [command, ...rest] = args;
  const child = spawn(command ?? '', rest, { stdio: ['ignore', 'pipe', 'inherit'] });
  holders.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
    child.once('exit', (code, signal) => reject(new Error(`lock holder exited early (${code ?? signal})`)));
  });
  return child;
}

function lockStatus(): Record<string, unknown> {
  const run = runTauPo(['lock', 'status', '--json', '--state-dir', stateDir]);
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

function auditRows(): Record<string, unknown>[] {
  return fs
    .readFileSync(path.join(stateDir, 'control-audit.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function canUnsharePidNamespace(): boolean {
  if (process.getuid?.() !== 0) return false;
  return spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0;
}

describe('a holder on this host', () => {
  it('alive: every command is busy (exit 5), lock status says alive, lock break refuses (exit 5)', async () => {
    const holder = await startHolder();
    const pause = runTauPo(['pause', ...who()]);
    expect(pause.status).toBe(5);
    expect(pause.stderr).toMatch(new RegExp(`^state directory is busy \\(held by pid ${holder.pid} on host .* since [^)]*\\)\\n$`));
    expect(lockStatus()).toMatchObject({ state: 'held', holder: { pid: holder.pid, verdict: 'alive', reason: 'holder-running' } });
    const refused = runTauPo(['lock', 'break', ...who()]);
    expect(refused.status).toBe(5);
    expect(refused.stderr).toMatch(/^refusing to break the lock '.*': its holder is alive/);
    expect(fs.existsSync(path.join(stateDir, 'control-audit.jsonl'))).toBe(false);
  });

  it('killed: provably stale, and the next command takes the lock over at once', async () => {
    const holder = await startHolder();
    await kill(holder);
    expect(lockStatus()).toMatchObject({ holder: { pid: holder.pid, verdict: 'stale', reason: 'pid-gone' } });
    const text = runTauPo(['lock', 'status', '--state-dir', stateDir]);
    expect(text.stdout).toMatch(/provably stale: its process no longer exists on this host; the next command takes it over\n$/);
    const pause = runTauPo(['pause', ...who()]);
    expect(pause.status, pause.stderr).toBe(0);
    expect(lockStatus()).toMatchObject({ state: 'free' });
  });
});

describe('a holder in another PID namespace', () => {
  it.skipIf(!canUnsharePidNamespace())('is never taken over, however its pid looks from here', async () => {
    // The holder runs as a child of the namespace's init (sh), so its pid
    // there is a small one that usually names no process out here, or
    // another one: either way a pid check from here would be wrong.
    await startHolder(['unshare', '--pid', '--fork', '--mount-proc', '--kill-child', 'sh', '-c', '"$@"; exit $?', 'sh']);
    const record = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as Record<string, unknown>;
    const status = lockStatus();
    expect(status).toMatchObject({ holder: { pid: record['pid'], verdict: 'unknown', reason: 'other-pid-namespace' } });
    for (const args of [['pause', ...who()], ['resume', ...who()], ['audit', 'repair', ...who()]]) {
      const run = runTauPo(args);
      expect(run.status, args.join(' ')).toBe(5);
      expect(run.stderr).toContain('not taken over automatically: it was taken in another PID namespace');
    }
    const doctor = runTauPo(['doctor', ...who()]);
    expect(doctor.status).toBe(1);
    expect(doctor.stdout).toMatch(/FAIL {2}lock: held by pid .* cannot be judged: it was taken in another PID namespace/);
    expect(JSON.parse(fs.readFileSync(lockPath, 'utf8'))).toEqual(record);
  });
});

describe('a lock of another host', () => {
  it('is reported, never taken over, and broken by `lock break` with an audit row', () => {
    expect(runTauPo(['pause', ...who()]).status).toBe(0);
    fs.writeFileSync(
      lockPath,
      JSON.stringify({ pid: 31337, host: 'build-7.example', since_unix_ms: Date.now() - 3_600_000, command: 'resume', token: 'theirs', boot_id: 'b', pid_namespace: 1, start_time_ticks: 5 }),
    );
    const pause = runTauPo(['pause', ...who()]);
    expect(pause.status).toBe(5);
    expect(pause.stderr).toMatch(/held by pid 31337 on host build-7.example .*; not taken over automatically: it was taken on another host, whose processes cannot be seen from here; once that command is known to be gone, run `tau-po lock break`\n$/);
    expect(lockStatus()).toMatchObject({ holder: { pid: 31337, host: 'build-7.example', verdict: 'unknown', reason: 'other-host' } });

    const denied = runTauPo(['lock', 'break', ...who('local:observer')]);
    expect(denied.status).toBe(3);
    expect(denied.stderr).toMatch(/^failed to authorize prompt-optimization lifecycle control action 'lock break': .*action=control:rl:resume/);

    const broken = runTauPo(['lock', 'break', '--json', ...who()]);
    expect(broken.status, broken.stderr).toBe(0);
    expect(JSON.parse(broken.stdout)).toMatchObject({ broken: { pid: 31337, host: 'build-7.example', reason: 'other-host' }, audit_row_count: 2 });
    expect(fs.readdirSync(stateDir).filter((name) => name.startsWith('.tau-po.lock'))).toEqual([]);

    const rows = auditRows();
    expect(rows.map((row) => row['action'])).toEqual(['pause', 'lock_break']);
    expect(rows[1]).toMatchObject({
      principal: 'local:rl-operator',
      action_key: 'control:rl:resume',
      lifecycle_state: 'paused',
      broken_lock: { pid: 31337, host: 'build-7.example', command: 'resume', boot_id: 'b', pid_namespace: 1, start_time_ticks: 5, verdict: 'unknown', reason: 'other-host' },
    });
    expect(runTauPo(['audit', 'verify', '--state-dir', stateDir]).status).toBe(0);
    expect(runTauPo(['audit', 'timeline', '--state-dir', stateDir]).status).toBe(0);
    const resume = runTauPo(['resume', '--json', ...who()]);
    expect(resume.status, resume.stderr).toBe(0);
    expect(auditRows().map((row) => row['action'])).toEqual(['pause', 'lock_break', 'resume']);
  });
});

describe('something other than a lock file at the lock path', () => {
  const kinds: [string, () => void, RegExp][] = [
    ['a dangling symbolic link', () => fs.symlinkSync(path.join(stateDir, 'gone.lock'), lockPath), /is a symbolic link to '.*gone\.lock', which does not exist, not a lock file/],
    ['a directory', () => fs.mkdirSync(lockPath), /is a directory, not a lock file/],
    ['a FIFO', () => expect(spawnSync('mkfifo', [lockPath]).status).toBe(0), /is a FIFO, not a lock file/],
  ];

  it.each(kinds)('%s: every command fails with exit 1 naming it, doctor and lock status report it, nothing touches it', (_name, make, what) => {
    make();
    const before = fs.lstatSync(lockPath);
    const oneLine = new RegExp(`^state directory lock path '${lockPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' ${what.source}; tau-po never follows or removes it: inspect it and remove it by hand\\n$`);
    for (const args of [['pause', ...who()], ['resume', ...who()], ['audit', 'repair', ...who()], ['lock', 'break', ...who()]]) {
      const run = runTauPo(args);
      expect(run.status, args.join(' ')).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(oneLine);
    }
    const doctor = runTauPo(['doctor', ...who()]);
    expect(doctor.status).toBe(1);
    expect(doctor.stdout).toMatch(new RegExp(`FAIL {2}lock: state directory lock path .*${what.source}`));
    expect(doctor.stdout).toMatch(/resume would fail \(exit 1\): state directory lock path/);
    const status = runTauPo(['lock', 'status', '--json', '--state-dir', stateDir]);
    expect(status.status).toBe(1);
    expect(JSON.parse(status.stdout)).toMatchObject({ state: 'not_a_lock_file', problem: expect.stringMatching(what) });
    const after = fs.lstatSync(lockPath);
    expect([after.ino, after.mode]).toEqual([before.ino, before.mode]);
    expect(fs.existsSync(path.join(stateDir, 'gone.lock'))).toBe(false);
    expect(fs.existsSync(path.join(stateDir, 'control-audit.jsonl'))).toBe(false);
  });
});

describe('lock --help', () => {
  it('documents both subcommands with examples', () => {
    const run = runTauPo(['lock', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('tau-po lock status');
    expect(run.stdout).toContain('tau-po lock break --state-dir .tau/training');
  });
});
