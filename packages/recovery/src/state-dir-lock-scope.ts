import { acquireStateDirLock, ensureDirectory, removeStaleTempFiles } from '@tau/durable-fs';

/**
 * Runs `body` holding the state directory's lock: creates the directory,
 * takes the lock (`StateDirBusyError` when a live command holds it), removes
 * temp files of dead writers, and releases the lock however `body` ends. A
 * failure to release never hides `body`'s own error.
 */
export function withStateDirLock<T>(stateDir: string, command: string, body: () => T): T {
  ensureDirectory(stateDir);
  const lock = acquireStateDirLock(stateDir, { command });
  let result: T;
  try {
    removeStaleTempFiles(stateDir);
    result = body();
  } catch (error) {
    try {
      lock.release();
    } catch {
      // The body's error is the one the operator needs; a leftover lock is stale once we exit.
    }
    throw error;
  }
  lock.release();
  return result;
}
