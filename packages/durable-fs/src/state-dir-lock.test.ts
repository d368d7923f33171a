import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DurableFsError } from './durable-fs-error.js';
import { INCOMPLETE_LOCK_GRACE_MS } from './lock-record.js';
import { StateDirBusyError } from './state-dir-busy-error.js';
import { acquireStateDirLock, readStateDirLock, STATE_DIR_LOCK_FILE } from './state-dir-lock.js';
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

function writeLockFile(fields: Record<string, unknown>): void {
  fs.writeFileSync(lockPath, JSON.stringify({
    pid: process.pid, host: os.hostname(), since_unix_ms: Date.UTC(2024, 0, 2, 3, 4, 5), command: 'pause',
    token: 'foreign', ...fields,
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

  it('breaks the lock of a dead holder at once', () => {
    writeLockFile({ pid: deadPid() });
    expect(readStateDirLock(dir)?.stale).toBe(true);
    const lock = acquireStateDirLock(dir, { command: 'resume' });
    expect(readStateDirLock(dir)).toMatchObject({ pid: process.pid, command: 'resume' });
    lock.release();
  });

  it('never breaks the lock of another host, and says so', () => {
    writeLockFile({ pid: deadPid(), host: 'elsewhere.example' });
    expect(readStateDirLock(dir)?.stale).toBe(false);
    const error = busyError(() => acquireStateDirLock(dir, { command: 'resume' }));
    expect(error.message).toBe(
      `state directory is busy (held by pid ${error.holder.pid} on host elsewhere.example since 2024-01-02T03:04:05.000Z); ` +
        `a lock taken on another host is never broken automatically: delete ${lockPath} once that command is known to be gone`,
    );
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
