import { unixMsText } from '@tau/schemas';
import { printableLockText, type LockHolder } from './lock-holder.js';

function describeHolder(holder: LockHolder): string {
  if (!holder.complete || holder.pid === null || holder.host === null) {
    return `state directory is busy (lock file is being written by another process)`;
  }
  const since = unixMsText(holder.since_unix_ms);
  const base = `state directory is busy (held by pid ${holder.pid} on host ${printableLockText(holder.host)} since ${since})`;
  if (holder.verdict === 'alive') return base;
  return `${base}; not taken over automatically: ${holder.explanation}; once that command is known to be gone, run \`tau-po lock break\``;
}

/**
 * Another command holds the state-directory lock (alive, or not provably
 * gone). `holder` says who and why it was not taken over; `lockPath` is the
 * lock file.
 */
export class StateDirBusyError extends Error {
  override name = 'StateDirBusyError';
  readonly holder: LockHolder;
  readonly lockPath: string;

  constructor(holder: LockHolder, lockPath: string) {
    super(describeHolder(holder));
    this.holder = holder;
    this.lockPath = lockPath;
  }
}
