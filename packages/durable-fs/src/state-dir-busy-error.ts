import type { LockHolder } from './lock-record.js';

function describeHolder(holder: LockHolder, lockPath: string, ownHost: string): string {
  if (!holder.complete || holder.pid === null || holder.host === null) {
    return `state directory is busy (lock file ${lockPath} is being written by another process)`;
  }
  const since = new Date(holder.since_unix_ms).toISOString();
  const base = `state directory is busy (held by pid ${holder.pid} on host ${holder.host} since ${since})`;
  if (holder.host === ownHost) return base;
  return `${base}; a lock taken on another host is never broken automatically: delete ${lockPath} once that command is known to be gone`;
}

/**
 * Another command holds the state-directory lock. `holder` says who;
 * `lockPath` is the lock file.
 */
export class StateDirBusyError extends Error {
  override name = 'StateDirBusyError';
  readonly holder: LockHolder;
  readonly lockPath: string;

  constructor(holder: LockHolder, lockPath: string, ownHost: string) {
    super(describeHolder(holder, lockPath, ownHost));
    this.holder = holder;
    this.lockPath = lockPath;
  }
}
