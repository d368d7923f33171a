// What a state-directory lock file says and whether its holder is gone. Pure:
// the caller supplies the facts (host, boot id, clock, pid liveness).

/** The JSON content of `<dir>/.tau-po.lock`. */
export interface LockRecord {
  readonly pid: number;
  readonly host: string;
  readonly since_unix_ms: number;
  readonly command: string;
  /** Random per acquisition; release and stale-lock breaking compare it. */
  readonly token: string;
  /** Linux boot id when known: a different one means the holder died in a reboot. */
  readonly boot_id?: string;
}

/**
 * Who holds a state-directory lock, as `readStateDirLock` and
 * `StateDirBusyError` report it. `complete` is false when the lock file is
 * empty or unreadable (its holder was killed between creating and writing
 * it); then pid, host and command are null and `since_unix_ms` is the file's
 * modification time.
 */
export interface LockHolder {
  readonly pid: number | null;
  readonly host: string | null;
  readonly since_unix_ms: number;
  readonly command: string | null;
  readonly stale: boolean;
  readonly complete: boolean;
}

/** An empty or partial lock file younger than this may still be being written. */
export const INCOMPLETE_LOCK_GRACE_MS = 2_000;

/** Parses lock file text; undefined when it is empty, partial or not a lock record. */
export function parseLockRecord(text: string): LockRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const { pid, host, since_unix_ms, command, token, boot_id } = record;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  if (typeof host !== 'string' || typeof command !== 'string' || typeof token !== 'string') return undefined;
  if (typeof since_unix_ms !== 'number' || !Number.isFinite(since_unix_ms)) return undefined;
  if (boot_id !== undefined && typeof boot_id !== 'string') return undefined;
  return { pid, host, since_unix_ms, command, token, ...(boot_id === undefined ? {} : { boot_id }) };
}

/** The facts about this machine and moment that staleness depends on. */
export interface LockObserver {
  readonly host: string;
  readonly bootId: string | undefined;
  readonly isProcessAlive: (pid: number) => boolean;
}

/**
 * Whether a lock is stale, i.e. its holder is certainly gone:
 * - an incomplete lock file older than the grace period;
 * - on this host, a holder from an earlier boot, or whose pid no longer exists.
 * A lock held on another host is never stale: we cannot see its processes.
 */
export function isLockStale(
  record: LockRecord | undefined,
  fileAgeMs: number,
  observer: LockObserver,
): boolean {
  if (record === undefined) return fileAgeMs > INCOMPLETE_LOCK_GRACE_MS;
  if (record.host !== observer.host) return false;
  if (record.boot_id !== undefined && observer.bootId !== undefined && record.boot_id !== observer.bootId) return true;
  return !observer.isProcessAlive(record.pid);
}

/** The holder description of a lock file (pure). */
export function describeLockHolder(
  record: LockRecord | undefined,
  fileMtimeMs: number,
  stale: boolean,
): LockHolder {
  if (record === undefined) {
    return { pid: null, host: null, since_unix_ms: fileMtimeMs, command: null, stale, complete: false };
  }
  const { pid, host, since_unix_ms, command } = record;
  return { pid, host, since_unix_ms, command, stale, complete: true };
}
