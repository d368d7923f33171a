// What a state-directory lock file says. Pure. Hand-checked rather than with
// a zod schema: the record is eight flat fields, read on every command.
import { parseJsonStrict } from '@tau/schemas';

/** The JSON content of `<dir>/.tau-po.lock`. */
export interface LockRecord {
  readonly pid: number;
  readonly host: string;
  readonly since_unix_ms: number;
  readonly command: string;
  /** Random per acquisition; release and lock breaking compare it. */
  readonly token: string;
  /** Linux boot id (`/proc/sys/kernel/random/boot_id`): a different one means the holder died in a reboot. */
  readonly boot_id?: string;
  /**
   * Inode of the holder's PID namespace (`readlink /proc/self/ns/pid` is
   * `pid:[<inode>]`). A pid means something only inside its namespace: two
   * containers share host name and boot id but not pids.
   */
  readonly pid_namespace?: number;
  /** The holder's start time, `/proc/<pid>/stat` field 22 (clock ticks since boot): tells the holder from a process that reused its pid. */
  readonly start_time_ticks?: number;
}

/** An empty or partial lock file younger than this may still be being written. */
export const INCOMPLETE_LOCK_GRACE_MS = 2_000;

/** A lock file is a few hundred bytes; more than this is not one of ours. */
export const MAX_LOCK_FILE_BYTES = 64 * 1024;

function isNonNegativeSafeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Parses lock file text; undefined when it is empty, partial or not a lock
 * record. Optional fields of the wrong type make the whole record unusable
 * (a record we cannot trust is judged as incomplete, never as alive).
 */
export function parseLockRecord(text: string): LockRecord | undefined {
  let value: unknown;
  try {
    // Strict: a key given twice (`"pid": 1, "pid": 2`) is not a record we wrote, so not one to trust.
    value = parseJsonStrict(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const { pid, host, since_unix_ms, command, token, boot_id, pid_namespace, start_time_ticks } = record;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  if (typeof host !== 'string' || typeof command !== 'string' || typeof token !== 'string') return undefined;
  if (typeof since_unix_ms !== 'number' || !Number.isFinite(since_unix_ms)) return undefined;
  if (boot_id !== undefined && typeof boot_id !== 'string') return undefined;
  if (pid_namespace !== undefined && !isNonNegativeSafeInteger(pid_namespace)) return undefined;
  if (start_time_ticks !== undefined && !isNonNegativeSafeInteger(start_time_ticks)) return undefined;
  return {
    pid,
    host,
    since_unix_ms,
    command,
    token,
    ...(boot_id === undefined ? {} : { boot_id }),
    ...(pid_namespace === undefined ? {} : { pid_namespace }),
    ...(start_time_ticks === undefined ? {} : { start_time_ticks }),
  };
}
