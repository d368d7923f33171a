// The exclusive per-state-directory lock, hand-written rather than taken from
// proper-lockfile: that library decides staleness by the lock's mtime age
// (10 s by default, refreshed by a timer) and records no owner, so a command
// killed with SIGKILL would block the next one for seconds, and "held by pid N
// on host H since T" could not be reported. Here the lock file names its
// holder with every fact liveness needs (host, boot id, PID namespace, pid,
// start time), `judgeLockHolder` decides, and only a provably gone holder is
// taken over.
//
// The lock path is only ever a regular file this code created: created with
// O_CREAT|O_EXCL|O_NOFOLLOW, read with O_NOFOLLOW after an lstat, removed only
// after renaming it aside and checking that what moved is what was judged.
// Anything else there (a link, a directory, a FIFO) is reported, never
// followed or removed.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DurableFsError } from './durable-fs-error.js';
import { fileKindOf } from '@tau/schemas';
import { describeLockHolder, type LockHolder } from './lock-holder.js';
import { judgeLockHolder, type LockJudgement, type LockObserver } from './lock-holder-judgement.js';
import { LockPathNotAFileError } from './lock-path-error.js';
import { INCOMPLETE_LOCK_GRACE_MS, MAX_LOCK_FILE_BYTES, parseLockRecord, type LockRecord } from './lock-record.js';
import { probeProcess, readBootId, readOwnProcessFacts } from './process-liveness.js';
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
const MAX_OBSERVE_ATTEMPTS = 5;

// Read from the default export at call time: the CLI bundle may not import
// a built-in's non-function export by name.
const openFlags = () => fs.constants;

/** A held state-directory lock. */
export interface StateDirLock {
  readonly dir: string;
  readonly lockPath: string;
  readonly holder: LockHolder;
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): void;
}

/** A lock file as read: its bytes, identity and record. */
export interface ObservedLockFile {
  readonly raw: string;
  readonly dev: number;
  readonly ino: number;
  readonly mtimeMs: number;
  readonly record: LockRecord | undefined;
}

/** The lock of a state directory as found now: the file, its holder and the verdict on it. */
export interface StateDirLockInspection {
  readonly lockPath: string;
  readonly holder: LockHolder;
  /** What was judged; `breakStateDirLock` removes the lock only if it is still exactly this. */
  readonly observed: ObservedLockFile;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

function lockPathError(lockPath: string, stats: fs.Stats): LockPathNotAFileError {
  const kind = fileKindOf(stats);
  if (kind === 'file') throw new Error('a regular file is a lock file');
  if (kind !== 'symlink') return new LockPathNotAFileError(lockPath, { kind });
  let text = '';
  try {
    text = fs.readlinkSync(lockPath);
  } catch {
    // Gone or changed meanwhile: the kind alone still tells the operator.
  }
  const dangling = !fs.existsSync(lockPath);
  return new LockPathNotAFileError(lockPath, { kind, link: { text, dangling } });
}

function readBounded(fd: number, size: number): string {
  const buffer = Buffer.alloc(size);
  let length = 0;
  while (length < size) {
    const read = fs.readSync(fd, buffer, length, size - length, length);
    if (read === 0) break;
    length += read;
  }
  return buffer.toString('utf8', 0, length);
}

/**
 * The lock file at `lockPath`, or undefined when nothing is there. Throws
 * `LockPathNotAFileError` when something other than a regular file is there.
 * lstat first, so nothing but a regular file is ever opened (opening a FIFO
 * blocks, opening a device may act); then open without following links and
 * check with fstat that the file opened is the one lstat saw.
 */
function observeLockFile(lockPath: string): ObservedLockFile | undefined {
  for (let attempt = 0; attempt < MAX_OBSERVE_ATTEMPTS; attempt += 1) {
    const entry = fs.lstatSync(lockPath, { throwIfNoEntry: false });
    if (entry === undefined) return undefined;
    if (!entry.isFile()) throw lockPathError(lockPath, entry);
    let fd: number;
    try {
      const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = openFlags();
      fd = fs.openSync(lockPath, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    } catch (error) {
      // Replaced between lstat and open (removed, or now a link): look again.
      if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ELOOP') continue;
      throw error;
    }
    try {
      const stats = fs.fstatSync(fd);
      if (!stats.isFile() || stats.ino !== entry.ino || stats.dev !== entry.dev) continue;
      if (stats.size > MAX_LOCK_FILE_BYTES) {
        throw new DurableFsError(
          `state directory lock path '${lockPath}' holds ${stats.size} bytes, more than a lock record ever has: ` +
            'not a lock file of tau-po; inspect it and remove it by hand',
        );
      }
      const raw = readBounded(fd, MAX_LOCK_FILE_BYTES);
      return { raw, dev: stats.dev, ino: stats.ino, mtimeMs: stats.mtimeMs, record: parseLockRecord(raw) };
    } finally {
      fs.closeSync(fd);
    }
  }
  throw new DurableFsError(`state directory lock path '${lockPath}' keeps changing while it is read`);
}

function isSameLockFile(a: ObservedLockFile, b: ObservedLockFile): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.raw === b.raw && a.mtimeMs === b.mtimeMs;
}

/** The facts about this process and host, read now (never cached: see process-liveness.ts). */
interface ObserverFacts {
  readonly host: string;
  readonly bootId: string | undefined;
  readonly pidNamespace: number | undefined;
  readonly startTimeTicks: number | undefined;
}

function readObserverFacts(): ObserverFacts {
  const own = readOwnProcessFacts();
  return { host: os.hostname(), bootId: readBootId(), pidNamespace: own.pidNamespace, startTimeTicks: own.startTimeTicks };
}

/** Gathers every fact `judgeLockHolder` needs about one observed lock file, then judges. */
function judgeObservedLock(observed: ObservedLockFile, facts: ObserverFacts, nowUnixMs: number): LockJudgement {
  const observer: LockObserver = {
    host: facts.host,
    bootId: facts.bootId,
    pidNamespace: facts.pidNamespace,
    fileAgeMs: nowUnixMs - observed.mtimeMs,
    holderProcess: observed.record === undefined ? { state: 'absent' } : probeProcess(observed.record.pid),
  };
  return judgeLockHolder(observed.record, observer);
}

function inspectionOf(lockPath: string, observed: ObservedLockFile, facts: ObserverFacts): StateDirLockInspection {
  const now = Date.now();
  const judgement = judgeObservedLock(observed, facts, now);
  return { lockPath, observed, holder: describeLockHolder(observed.record, observed.mtimeMs, judgement, now) };
}

function tryCreateLockFile(lockPath: string, record: LockRecord): boolean {
  let fd: number;
  try {
    const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = openFlags();
    fd = fs.openSync(lockPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
  let created: fs.Stats | undefined;
  try {
    created = fs.fstatSync(fd);
    // O_EXCL created it, so it is a new regular file; checked anyway, since
    // everything after this relies on it.
    if (!created.isFile()) throw new DurableFsError(`created lock file '${lockPath}' is not a regular file`);
    fs.writeSync(fd, JSON.stringify(record));
    fs.closeSync(fd);
    return true;
  } catch (error) {
    fs.closeSync(fd);
    const now = fs.lstatSync(lockPath, { throwIfNoEntry: false });
    if (created !== undefined && now?.ino === created.ino && now.dev === created.dev) fs.unlinkSync(lockPath);
    throw error;
  }
}

/**
 * Moves the lock file aside if it is still exactly `judged`, and returns
 * where it went; undefined when it changed or vanished (nothing removed).
 * Renaming first, then checking what was moved, closes the race in which the
 * judged file is replaced between the check and the removal: what moved is
 * verified after the move, and put back when it is not the judged one.
 */
function moveLockAsideIfUnchanged(lockPath: string, judged: ObservedLockFile): string | undefined {
  const current = observeLockFile(lockPath);
  if (current === undefined || !isSameLockFile(current, judged)) return undefined;
  const aside = `${lockPath}.broken-${randomBytes(6).toString('hex')}`;
  try {
    fs.renameSync(lockPath, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  let moved: ObservedLockFile | undefined;
  try {
    moved = observeLockFile(aside);
  } catch {
    moved = undefined;
  }
  if (moved !== undefined && isSameLockFile(moved, judged)) return aside;
  try {
    // link(2) never replaces: if a new lock appeared meanwhile, keep both and say so.
    fs.linkSync(aside, lockPath);
    fs.unlinkSync(aside);
  } catch (cause) {
    throw new DurableFsError(
      `the lock file '${lockPath}' changed while it was being broken; what was moved aside is kept at '${aside}'`,
      { cause },
    );
  }
  return undefined;
}

/**
 * Runs `body` as the only breaker of this lock (an O_EXCL `<lock>.breaker`
 * file), so two processes cannot both break a stale lock and then one of them
 * a freshly taken one. Returns undefined without running it when another
 * breaker is at work. A breaker file older than 5 s belongs to a process that
 * died mid-break and is removed (only if it is a regular file).
 */
function asOnlyBreaker<T>(lockPath: string, body: () => T): { value: T } | undefined {
  const breakerPath = `${lockPath}.breaker`;
  let fd: number;
  try {
    const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = openFlags();
    fd = fs.openSync(breakerPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    const stats = fs.lstatSync(breakerPath, { throwIfNoEntry: false });
    if (stats === undefined) return undefined;
    if (!stats.isFile()) throw lockPathError(breakerPath, stats);
    if (Date.now() - stats.mtimeMs > BREAKER_MAX_AGE_MS) fs.rmSync(breakerPath, { force: true });
    return undefined;
  }
  try {
    fs.writeSync(fd, String(process.pid));
    fs.closeSync(fd);
    return { value: body() };
  } finally {
    fs.rmSync(breakerPath, { force: true });
  }
}

/** Breaks a provably stale lock if it is still the one judged (the acquire loop's automatic take-over). */
function breakStaleLock(lockPath: string, judged: ObservedLockFile): void {
  const done = asOnlyBreaker(lockPath, () => {
    const aside = moveLockAsideIfUnchanged(lockPath, judged);
    if (aside !== undefined) fs.unlinkSync(aside);
  });
  if (done === undefined) sleepSync(RETRY_SLEEP_MS);
}

function ownLockRecord(command: string, facts: ObserverFacts): LockRecord {
  return {
    pid: process.pid,
    host: facts.host,
    since_unix_ms: Date.now(),
    command,
    token: randomBytes(16).toString('hex'),
    ...(facts.bootId === undefined ? {} : { boot_id: facts.bootId }),
    ...(facts.pidNamespace === undefined ? {} : { pid_namespace: facts.pidNamespace }),
    ...(facts.startTimeTicks === undefined ? {} : { start_time_ticks: facts.startTimeTicks }),
  };
}

/**
 * Takes the exclusive lock of a state directory (which must exist) for one
 * command: creates `<dir>/.tau-po.lock` with O_CREAT|O_EXCL|O_NOFOLLOW,
 * recording pid, host, boot id, PID namespace, start time and command. A
 * provably stale lock (`judgeLockHolder`) is broken and taken over at once;
 * a live holder, or one that cannot be judged from here, throws
 * `StateDirBusyError` without waiting. Something other than a regular file
 * at the lock path throws `LockPathNotAFileError`. The lock is also released
 * when the process exits normally; after a kill it is stale for the next
 * command on this host and in this PID namespace.
 */
export function acquireStateDirLock(dir: string, options: { command: string }): StateDirLock {
  const lockPath = path.join(dir, STATE_DIR_LOCK_FILE);
  let last: StateDirLockInspection | undefined;
  try {
    const facts = readObserverFacts();
    const record = ownLockRecord(options.command, facts);
    const deadline = Date.now() + ACQUIRE_PATIENCE_MS;
    while (Date.now() < deadline) {
      if (tryCreateLockFile(lockPath, record)) return heldLock(dir, lockPath, record);
      const observed = observeLockFile(lockPath);
      if (observed === undefined) continue;
      last = inspectionOf(lockPath, observed, facts);
      if (last.holder.verdict === 'stale') {
        breakStaleLock(lockPath, observed);
        continue;
      }
      // A holder between create and write: wait for it, it becomes stale soon.
      if (last.holder.reason === 'incomplete-file-fresh') {
        sleepSync(RETRY_SLEEP_MS);
        continue;
      }
      break;
    }
  } catch (cause) {
    if (cause instanceof LockPathNotAFileError) throw cause;
    throw new DurableFsError(`lock state directory ${dir}`, { cause });
  }
  if (last === undefined) throw new DurableFsError(`lock state directory ${dir}: gave up after every attempt lost a race`);
  throw new StateDirBusyError(last.holder, lockPath);
}

function heldLock(dir: string, lockPath: string, record: LockRecord): StateDirLock {
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.removeListener('exit', releaseAtExit);
    try {
      const current = observeLockFile(lockPath);
      if (current?.record?.token !== record.token) return;
      const aside = moveLockAsideIfUnchanged(lockPath, current);
      if (aside !== undefined) fs.unlinkSync(aside);
    } catch (cause) {
      // Something other than a lock file is there now: not our lock, nothing to release.
      if (cause instanceof LockPathNotAFileError) return;
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
  const now = Date.now();
  const holder = describeLockHolder(record, now, { verdict: 'alive', reason: 'holder-running' }, now);
  return { dir, lockPath, holder, release };
}

/**
 * The lock of a state directory as found now, judged; undefined when nothing
 * is at the lock path. Throws `LockPathNotAFileError` when something other
 * than a regular file is there, `DurableFsError` when it cannot be read.
 */
export function inspectStateDirLock(dir: string): StateDirLockInspection | undefined {
  const lockPath = path.join(dir, STATE_DIR_LOCK_FILE);
  try {
    const observed = observeLockFile(lockPath);
    return observed === undefined ? undefined : inspectionOf(lockPath, observed, readObserverFacts());
  } catch (cause) {
    if (cause instanceof LockPathNotAFileError) throw cause;
    throw new DurableFsError(`read state directory lock ${lockPath}`, { cause });
  }
}

/** Who holds the lock of a state directory and the verdict on it; undefined when it is not locked. */
export function readStateDirLock(dir: string): LockHolder | undefined {
  return inspectStateDirLock(dir)?.holder;
}

/** A lock removed by `breakStateDirLock`: its file, moved aside, until `discardBrokenLock`. */
export interface BrokenStateDirLock {
  readonly holder: LockHolder;
  /** Where the broken lock file now is (`<lock>.broken-<random>`): evidence until the break is recorded. */
  readonly asidePath: string;
}

/**
 * The operator's break (`tau-po lock break`): removes the lock judged in
 * `inspection`, whatever the verdict (the caller decides whether breaking is
 * allowed), only if the file is still exactly the one judged. The file is
 * moved aside, not deleted; `discardBrokenLock` deletes it once the break is
 * recorded. Throws `DurableFsError` when the lock changed since it was judged
 * or another breaker is at work.
 */
export function breakStateDirLock(inspection: StateDirLockInspection): BrokenStateDirLock {
  const { lockPath, observed } = inspection;
  let outcome: { value: string | undefined } | undefined;
  try {
    for (let attempt = 0; attempt < 50 && outcome === undefined; attempt += 1) {
      outcome = asOnlyBreaker(lockPath, () => moveLockAsideIfUnchanged(lockPath, observed));
      if (outcome === undefined) sleepSync(20);
    }
  } catch (cause) {
    if (cause instanceof LockPathNotAFileError) throw cause;
    throw new DurableFsError(`break state directory lock ${lockPath}`, { cause });
  }
  if (outcome === undefined) {
    throw new DurableFsError(`break state directory lock ${lockPath}: another process is breaking it now`);
  }
  if (outcome.value === undefined) {
    throw new DurableFsError(
      `break state directory lock ${lockPath}: the lock changed since it was looked at (released or taken by another command); nothing was removed`,
    );
  }
  return { holder: inspection.holder, asidePath: outcome.value };
}

/** Deletes a broken lock's file once its break is recorded. */
export function discardBrokenLock(broken: BrokenStateDirLock): void {
  try {
    fs.unlinkSync(broken.asidePath);
  } catch (cause) {
    if (errorCode(cause) === 'ENOENT') return;
    throw new DurableFsError(`remove broken lock file ${broken.asidePath}`, { cause });
  }
}
