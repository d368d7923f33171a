// The exclusive per-state-directory lock, hand-written rather than taken from
// proper-lockfile: that library decides staleness by the lock's mtime age
// (10 s by default, refreshed by a timer) and records no owner, so a command
// killed with SIGKILL would block the next one for seconds, and "held by pid N
// on host H since T" could not be reported. Here the lock file names its
// holder, and a holder that no longer exists on this host is detected at once.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DurableFsError } from './durable-fs-error.js';
import {
  describeLockHolder,
  INCOMPLETE_LOCK_GRACE_MS,
  isLockStale,
  parseLockRecord,
  type LockHolder,
  type LockObserver,
  type LockRecord,
} from './lock-record.js';
import { isProcessAlive } from './process-liveness.js';
import { StateDirBusyError } from './state-dir-busy-error.js';

/** Lock file name inside a state directory. */
export const STATE_DIR_LOCK_FILE = '.tau-po.lock';

/** A breaker file older than this belongs to a process that died mid-break. */
const BREAKER_MAX_AGE_MS = 5_000;
/**
 * Bounds the acquire loop: long enough for an incomplete lock file to become
 * stale, after which only other processes winning every race keep us here.
 */
const ACQUIRE_PATIENCE_MS = INCOMPLETE_LOCK_GRACE_MS + 1_500;
const RETRY_SLEEP_MS = 10;

/** A held state-directory lock. */
export interface StateDirLock {
  readonly dir: string;
  readonly lockPath: string;
  readonly holder: LockHolder;
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): void;
}

interface ObservedLockFile {
  readonly raw: string;
  readonly ino: number;
  readonly mtimeMs: number;
  readonly record: LockRecord | undefined;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readBootId(): string | undefined {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function currentObserver(): LockObserver {
  return { host: os.hostname(), bootId: readBootId(), isProcessAlive };
}

function observeLockFile(lockPath: string): ObservedLockFile | undefined {
  let fd: number;
  try {
    fd = fs.openSync(lockPath, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stats = fs.fstatSync(fd);
    const raw = fs.readFileSync(fd, 'utf8');
    return { raw, ino: stats.ino, mtimeMs: stats.mtimeMs, record: parseLockRecord(raw) };
  } finally {
    fs.closeSync(fd);
  }
}

function isSameLockFile(a: ObservedLockFile, b: ObservedLockFile): boolean {
  return a.ino === b.ino && a.raw === b.raw && a.mtimeMs === b.mtimeMs;
}

function tryCreateLockFile(lockPath: string, record: LockRecord): boolean {
  let fd: number;
  try {
    fd = fs.openSync(lockPath, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    fs.writeSync(fd, JSON.stringify(record));
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(lockPath, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  return true;
}

/**
 * Removes a stale lock file, unless it changed since it was judged stale.
 * One breaker at a time (an O_EXCL breaker file), so two processes cannot both
 * remove a stale lock and then one of them a freshly taken one.
 */
function breakStaleLock(lockPath: string, judged: ObservedLockFile): void {
  const breakerPath = `${lockPath}.breaker`;
  let fd: number;
  try {
    fd = fs.openSync(breakerPath, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    try {
      if (Date.now() - fs.statSync(breakerPath).mtimeMs > BREAKER_MAX_AGE_MS) fs.rmSync(breakerPath, { force: true });
    } catch (statError) {
      if ((statError as NodeJS.ErrnoException).code !== 'ENOENT') throw statError;
    }
    sleepSync(RETRY_SLEEP_MS);
    return;
  }
  try {
    fs.writeSync(fd, String(process.pid));
    fs.closeSync(fd);
    const current = observeLockFile(lockPath);
    if (current !== undefined && isSameLockFile(current, judged)) fs.rmSync(lockPath, { force: true });
  } finally {
    fs.rmSync(breakerPath, { force: true });
  }
}

function releaseIfOurs(lockPath: string, token: string): void {
  const current = observeLockFile(lockPath);
  if (current?.record?.token === token) fs.rmSync(lockPath, { force: true });
}

/**
 * Takes the exclusive lock of a state directory (which must exist) for one
 * command: creates `<dir>/.tau-po.lock` with O_EXCL, recording pid, host,
 * start time and command. A stale lock (its holder is gone, see
 * `readStateDirLock`) is broken and taken over at once; a live one throws
 * `StateDirBusyError` without waiting. The lock is also released when the
 * process exits normally; after a kill it is stale for the next command.
 */
export function acquireStateDirLock(dir: string, options: { command: string }): StateDirLock {
  const lockPath = path.join(dir, STATE_DIR_LOCK_FILE);
  const observer = currentObserver();
  const record: LockRecord = {
    pid: process.pid,
    host: observer.host,
    since_unix_ms: Date.now(),
    command: options.command,
    token: randomBytes(16).toString('hex'),
    ...(observer.bootId === undefined ? {} : { boot_id: observer.bootId }),
  };
  let lastSeen: ObservedLockFile | undefined;
  try {
    const deadline = Date.now() + ACQUIRE_PATIENCE_MS;
    while (Date.now() < deadline) {
      if (tryCreateLockFile(lockPath, record)) return heldLock(dir, lockPath, record);
      const observed = observeLockFile(lockPath);
      if (observed === undefined) continue;
      lastSeen = observed;
      if (isLockStale(observed.record, Date.now() - observed.mtimeMs, observer)) {
        breakStaleLock(lockPath, observed);
        continue;
      }
      // A live holder with a complete record: busy. An incomplete record is a
      // holder between create and write; wait for it, it becomes stale soon.
      if (observed.record !== undefined) break;
      sleepSync(RETRY_SLEEP_MS);
    }
  } catch (cause) {
    throw new DurableFsError(`lock state directory ${dir}`, { cause });
  }
  const holder = lastSeen === undefined
    ? describeLockHolder(undefined, Date.now(), false)
    : describeLockHolder(lastSeen.record, lastSeen.mtimeMs, false);
  throw new StateDirBusyError(holder, lockPath, observer.host);
}

function heldLock(dir: string, lockPath: string, record: LockRecord): StateDirLock {
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.removeListener('exit', releaseAtExit);
    try {
      releaseIfOurs(lockPath, record.token);
    } catch (cause) {
      throw new DurableFsError(`release state directory lock ${lockPath}`, { cause });
    }
  };
  // At exit nobody can handle an error; a lock left behind is stale anyway.
  const releaseAtExit = (): void => {
    try {
      release();
    } catch {
      // ignored, see above
    }
  };
  process.on('exit', releaseAtExit);
  return { dir, lockPath, holder: describeLockHolder(record, record.since_unix_ms, false), release };
}

/**
 * Who holds the lock of a state directory, with `stale` saying whether the
 * holder is certainly gone (for `doctor`); undefined when it is not locked.
 */
export function readStateDirLock(dir: string): LockHolder | undefined {
  const lockPath = path.join(dir, STATE_DIR_LOCK_FILE);
  try {
    const observed = observeLockFile(lockPath);
    if (observed === undefined) return undefined;
    const stale = isLockStale(observed.record, Date.now() - observed.mtimeMs, currentObserver());
    return describeLockHolder(observed.record, observed.mtimeMs, stale);
  } catch (cause) {
    throw new DurableFsError(`read state directory lock ${lockPath}`, { cause });
  }
}
