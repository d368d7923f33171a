import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DurableFsError } from './durable-fs-error.js';
import { LockPathNotAFileError } from './lock-path-error.js';
import { INCOMPLETE_LOCK_GRACE_MS } from './lock-record.js';
import { readBootId, readOwnProcessFacts } from './process-liveness.js';
import { StateDirBusyError } from './state-dir-busy-error.js';
import {
  acquireStateDirLock,
  breakStateDirLock,
  discardBrokenLock,
  inspectStateDirLock,
  readStateDirLock,
  STATE_DIR_LOCK_FILE,
} from './state-dir-lock.js';
import { runChild, runnerPath } from './test-support/run-child.js';
import type { RunnerStep } from './test-support/durable-fs-runner.js';

let dir: string;
let lockPath: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-lock-'));
  lockPath = path.join(dir, STATE_DIR_LOCK_FILE);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid as number;
}

const own = readOwnProcessFacts();
const ownBootId = readBootId();

/** A lock record as this host and process would write it (every liveness fact), with `fields` changed. */
function writeLockFile(fields: Record<string, unknown>): void {
  fs.writeFileSync(lockPath, JSON.stringify({
    pid: process.pid, host: os.hostname(), since_unix_ms: Date.UTC(2024, 0, 2, 3, 4, 5), command: 'pause',
    token: 'foreign', boot_id: ownBootId, pid_namespace: own.pidNamespace, start_time_ticks: own.startTimeTicks, ...fields,
  }));
}

function busyError(fn: () => unknown): StateDirBusyError {
  try {
    fn();
  } catch (error) {
    if (error instanceof StateDirBusyError) return error;
    throw error;
  }
  throw new Error('expected StateDirBusyError');
}

describe('acquireStateDirLock in one process', () => {
  it('records the holder, refuses a second holder, and frees the directory on release', () => {
    const lock = acquireStateDirLock(dir, { command: 'resume' });
    expect(lock.lockPath).toBe(lockPath);
    const holder = readStateDirLock(dir);
    expect(holder).toMatchObject({ pid: process.pid, host: os.hostname(), command: 'resume', stale: false, complete: true });

    const error = busyError(() => acquireStateDirLock(dir, { command: 'pause' }));
    const since = new Date(holder?.since_unix_ms ?? 0).toISOString();
    expect(error.message).toBe(`state directory is busy (held by pid ${process.pid} on host ${os.hostname()} since ${since})`);
    expect(error.holder.command).toBe('resume');

    lock.release();
    lock.release();
    expect(fs.existsSync(lockPath)).toBe(false);
    expect(readStateDirLock(dir)).toBeUndefined();
    acquireStateDirLock(dir, { command: 'pause' }).release();
  });

  it('does not remove a lock that another holder took over', () => {
    const lock = acquireStateDirLock(dir, { command: 'resume' });
    writeLockFile({ token: 'someone-else' });
    lock.release();
    expect(JSON.parse(fs.readFileSync(lockPath, 'utf8')).token).toBe('someone-else');
  });

  it('releases nothing, and does not fail, when its lock path was replaced by something else', () => {
    const lock = acquireStateDirLock(dir, { command: 'resume' });
    fs.rmSync(lockPath);
    fs.symlinkSync(path.join(dir, 'elsewhere'), lockPath);
    lock.release();
    expect(fs.lstatSync(lockPath).isSymbolicLink()).toBe(true);
  });

  it('breaks the lock of a dead holder at once', () => {
    writeLockFile({ pid: deadPid() });
    expect(readStateDirLock(dir)?.stale).toBe(true);
    const lock = acquireStateDirLock(dir, { command: 'resume' });
    expect(readStateDirLock(dir)).toMatchObject({ pid: process.pid, command: 'resume' });
    lock.release();
  });

  it('never breaks the lock of another host, and says so', () => {
    writeLockFile({ pid: deadPid(), host: 'elsewhere.example' });
    expect(readStateDirLock(dir)).toMatchObject({ stale: false, verdict: 'unknown', reason: 'other-host' });
    const error = busyError(() => acquireStateDirLock(dir, { command: 'resume' }));
    expect(error.message).toBe(
      `state directory is busy (held by pid ${error.holder.pid} on host elsewhere.example since 2024-01-02T03:04:05.000Z); ` +
        'not taken over automatically: it was taken on another host, whose processes cannot be seen from here; ' +
        'once that command is known to be gone, run `tau-po lock break`',
    );
  });

  it('never breaks a lock taken in another PID namespace, even when its pid does not exist here', () => {
    writeLockFile({ pid: deadPid(), pid_namespace: (own.pidNamespace ?? 0) + 1 });
    const before = fs.readFileSync(lockPath, 'utf8');
    expect(readStateDirLock(dir)).toMatchObject({ verdict: 'unknown', reason: 'other-pid-namespace' });
    busyError(() => acquireStateDirLock(dir, { command: 'resume' }));
    expect(fs.readFileSync(lockPath, 'utf8')).toBe(before);
  });

  it('breaks a lock whose pid now belongs to a later process (start time differs)', () => {
    writeLockFile({ pid: process.pid, start_time_ticks: (own.startTimeTicks ?? 0) + 1 });
    expect(readStateDirLock(dir)).toMatchObject({ verdict: 'stale', reason: 'pid-reused' });
    acquireStateDirLock(dir, { command: 'resume' }).release();
  });

  it('judges a lock written by an older tau-po (no namespace, no start time) conservatively', () => {
    writeLockFile({ pid: deadPid(), pid_namespace: undefined, start_time_ticks: undefined });
    expect(readStateDirLock(dir)).toMatchObject({ verdict: 'unknown', reason: 'missing-facts' });
    busyError(() => acquireStateDirLock(dir, { command: 'resume' }));
    // ...but one from before a reboot is still provably gone.
    writeLockFile({ pid: deadPid(), pid_namespace: undefined, start_time_ticks: undefined, boot_id: 'an-earlier-boot' });
    expect(readStateDirLock(dir)).toMatchObject({ verdict: 'stale', reason: 'other-boot' });
    acquireStateDirLock(dir, { command: 'resume' }).release();
  });

  it('records every liveness fact of its holder', () => {
    const lock = acquireStateDirLock(dir, { command: 'resume' });
    expect(JSON.parse(fs.readFileSync(lockPath, 'utf8'))).toMatchObject({
      pid: process.pid,
      host: os.hostname(),
      command: 'resume',
      boot_id: ownBootId,
      pid_namespace: own.pidNamespace,
      start_time_ticks: own.startTimeTicks,
    });
    expect(own.pidNamespace).toEqual(expect.any(Number));
    expect(readStateDirLock(dir)).toMatchObject({ verdict: 'alive', reason: 'holder-running' });
    lock.release();
  });

  it('treats an old empty lock file (holder killed before writing it) as stale', () => {
    fs.writeFileSync(lockPath, '');
    const past = (Date.now() - 10_000) / 1000;
    fs.utimesSync(lockPath, past, past);
    expect(readStateDirLock(dir)).toMatchObject({ complete: false, stale: true, pid: null });
    acquireStateDirLock(dir, { command: 'resume' }).release();
  });

  it('waits out a fresh empty lock file rather than failing at once', () => {
    fs.writeFileSync(lockPath, '{"pid":');
    const writtenAt = fs.statSync(lockPath).mtimeMs;
    expect(readStateDirLock(dir)).toMatchObject({ complete: false, stale: false });
    acquireStateDirLock(dir, { command: 'resume' }).release();
    // Taken over only once the incomplete file had outlived its grace period, not broken at once.
    expect(Date.now() - writtenAt).toBeGreaterThan(INCOMPLETE_LOCK_GRACE_MS);
  });

  it('needs an existing directory', () => {
    expect(() => acquireStateDirLock(path.join(dir, 'missing'), { command: 'x' })).toThrow(DurableFsError);
  });
});

describe('acquireStateDirLock across processes', () => {
  it('reports a live holder process, and takes over at once after it is SIGKILLed', async () => {
    const steps: RunnerStep[] = [
      { op: 'lock', dir, command: 'pause' },
      { op: 'say', text: 'locked' },
      { op: 'sleep', ms: 60_000 },
    ];
    const child = spawn(process.execPath, [runnerPath('durable-fs'), JSON.stringify(steps)], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
      child.on('exit', () => reject(new Error('child exited before locking')));
    });
    const error = busyError(() => acquireStateDirLock(dir, { command: 'resume' }));
    expect(error.holder).toMatchObject({ pid: child.pid, host: os.hostname(), command: 'pause', stale: false });

    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    // Stale as soon as the pid is gone (no age threshold to wait out), so the next command takes over.
    expect(readStateDirLock(dir)).toMatchObject({ pid: child.pid, stale: true });
    const lock = acquireStateDirLock(dir, { command: 'resume' });
    expect(readStateDirLock(dir)).toMatchObject({ pid: process.pid, command: 'resume', stale: false });
    lock.release();
  });

  it('releases the lock when the holder exits normally without releasing', () => {
    const outcome = runChild('durable-fs', [JSON.stringify([{ op: 'lock', dir, command: 'pause' }])]);
    expect(outcome.status).toBe(0);
    expect(fs.existsSync(lockPath)).toBe(false);
  });

  it('lets exactly one of several racing processes hold the lock at a time', async () => {
    const racers = 4;
    const journal = path.join(dir, 'journal');
    const go = path.join(dir, 'go');
    // A stale lock makes every racer go through the breaking path too.
    writeLockFile({ pid: deadPid() });
    const children = Array.from({ length: racers }, (_, index) => {
      const steps: RunnerStep[] = [
        { op: 'wait-for-file', path: go },
        { op: 'lock', dir, command: `racer-${index}` },
        { op: 'append', path: journal, line: `start ${index}` },
        { op: 'sleep', ms: 50 },
        { op: 'append', path: journal, line: `end ${index}` },
        { op: 'release' },
      ];
      const child = spawn(process.execPath, [runnerPath('durable-fs'), JSON.stringify(steps)], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      return new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    fs.writeFileSync(go, '');
    const outcomes = await Promise.all(children);
    const winners = outcomes.filter((o) => o.code === 0).length;
    for (const o of outcomes.filter((o) => o.code !== 0)) expect(o.stderr).toContain('state directory is busy (held by pid');
    expect(winners).toBeGreaterThanOrEqual(1);
    const lines = fs.readFileSync(journal, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(winners * 2);
    // Strictly alternating start i / end i: no two holders overlapped.
    for (let i = 0; i < lines.length; i += 2) {
      expect(lines[i]?.replace('start', 'end')).toBe(lines[i + 1]);
    }
  });
});

describe('what is at the lock path', () => {
  const cases: [string, () => void, RegExp][] = [
    ['a dangling symbolic link', () => fs.symlinkSync(path.join(dir, 'nowhere'), lockPath), /is a symbolic link to '.*nowhere', which does not exist, not a lock file/],
    ['a symbolic link to a lock file', () => {
      fs.writeFileSync(path.join(dir, 'real'), JSON.stringify({ pid: deadPid(), host: os.hostname(), since_unix_ms: 1, command: 'x', token: 't' }));
      fs.symlinkSync(path.join(dir, 'real'), lockPath);
    }, /is a symbolic link to '.*real', not a lock file/],
    ['a directory', () => fs.mkdirSync(lockPath), /is a directory, not a lock file/],
    ['a FIFO', () => spawnSync('mkfifo', [lockPath]), /is a FIFO, not a lock file/],
  ];

  it.each(cases)('%s is reported by acquire and inspect, and left alone', (_name, make, message) => {
    make();
    const before = fs.lstatSync(lockPath);
    for (const attempt of [() => acquireStateDirLock(dir, { command: 'pause' }), () => readStateDirLock(dir)]) {
      let thrown: unknown;
      try {
        attempt();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(LockPathNotAFileError);
      expect((thrown as Error).message).toMatch(message);
      expect((thrown as Error).message).toContain(`lock path '${lockPath}'`);
      expect((thrown as Error).message).toContain('never follows or removes it');
    }
    const after = fs.lstatSync(lockPath);
    expect([after.ino, after.mode]).toEqual([before.ino, before.mode]);
    expect(fs.existsSync(path.join(dir, 'nowhere'))).toBe(false);
  });

  it('refuses a regular file too large to be a lock record, and leaves it', () => {
    fs.writeFileSync(lockPath, 'x'.repeat(70_000));
    let thrown: unknown;
    try {
      acquireStateDirLock(dir, { command: 'pause' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DurableFsError);
    expect(((thrown as Error).cause as Error).message).toMatch(/holds 70000 bytes, more than a lock record ever has/);
    expect(fs.statSync(lockPath).size).toBe(70_000);
  });
});

describe('breakStateDirLock (the operator break)', () => {
  it('moves the judged lock aside, and only that one', () => {
    writeLockFile({ host: 'elsewhere.example' });
    const inspection = inspectStateDirLock(dir);
    if (inspection === undefined) throw new Error('expected a lock');
    const broken = breakStateDirLock(inspection);
    expect(fs.existsSync(lockPath)).toBe(false);
    expect(JSON.parse(fs.readFileSync(broken.asidePath, 'utf8')).host).toBe('elsewhere.example');
    discardBrokenLock(broken);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('removes nothing when the lock changed since it was judged', () => {
    writeLockFile({ host: 'elsewhere.example' });
    const inspection = inspectStateDirLock(dir);
    if (inspection === undefined) throw new Error('expected a lock');
    fs.rmSync(lockPath);
    const lock = acquireStateDirLock(dir, { command: 'resume' });
    expect(() => breakStateDirLock(inspection)).toThrow(/the lock changed since it was looked at/);
    expect(readStateDirLock(dir)).toMatchObject({ pid: process.pid, command: 'resume' });
    lock.release();
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('automatic take-over, for every combination of liveness facts', () => {
  it('takes over exactly the locks judged stale; an alive or unknown lock file is left byte for byte', () => {
    const dead = deadPid();
    const field = <T>(values: T[]) => fc.constantFrom(...values);
    fc.assert(
      fc.property(
        fc.record({
          host: field([os.hostname(), 'elsewhere.example']),
          boot_id: field([ownBootId, 'an-earlier-boot', undefined]),
          pid_namespace: field([own.pidNamespace, (own.pidNamespace ?? 0) + 1, undefined]),
          pid: field([process.pid, dead]),
          start_time_ticks: field([own.startTimeTicks, (own.startTimeTicks ?? 0) + 7, undefined]),
        }),
        (fields) => {
          fs.rmSync(lockPath, { force: true });
          writeLockFile(fields);
          const before = fs.readFileSync(lockPath, 'utf8');
          const verdict = readStateDirLock(dir)?.verdict;
          let lock;
          try {
            lock = acquireStateDirLock(dir, { command: 'resume' });
          } catch (error) {
            if (!(error instanceof StateDirBusyError)) throw error;
          }
          if (verdict === 'stale') {
            expect(lock).toBeDefined();
            lock?.release();
          } else {
            expect(lock).toBeUndefined();
            expect(fs.readFileSync(lockPath, 'utf8')).toBe(before);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

function canUnsharePidNamespace(): boolean {
  if (process.getuid?.() !== 0) return false;
  return spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0;
}

describe('a holder in another PID namespace', () => {
  let holder: ChildProcess | undefined;
  afterEach(async () => {
    if (holder === undefined || holder.exitCode !== null || holder.signalCode !== null) return;
    const exited = new Promise((resolve) => holder?.on('exit', resolve));
    holder.kill('SIGKILL');
    await exited;
  });

  it.skipIf(!canUnsharePidNamespace())('is alive there and never taken over from here', async () => {
    const steps: RunnerStep[] = [
      { op: 'lock', dir, command: 'pause' },
      { op: 'say', text: 'locked' },
      { op: 'sleep', ms: 60_000 },
    ];
    // --kill-child: the holder dies with unshare, so the test can end it.
    const child = spawn(
      'unshare',
      ['--pid', '--fork', '--mount-proc', '--kill-child', process.execPath, runnerPath('durable-fs'), JSON.stringify(steps)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    holder = child;
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
      child.on('exit', () => reject(new Error('holder exited before locking')));
    });
    const record = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
    expect(record.pid_namespace).not.toBe(own.pidNamespace);
    expect(readStateDirLock(dir)).toMatchObject({ verdict: 'unknown', reason: 'other-pid-namespace' });
    const error = busyError(() => acquireStateDirLock(dir, { command: 'resume' }));
    expect(error.holder.reason).toBe('other-pid-namespace');
    expect(JSON.parse(fs.readFileSync(lockPath, 'utf8')).token).toBe(record.token);
  });
});
