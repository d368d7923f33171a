// Free space is one of the things that could fail a write after the commit
// point (the control state, the head file, resume's report rename needs
// none, but its pending copy does): checked before the first write, so a
// full disk refuses the command instead of leaving a committed row behind.
import fs from 'node:fs';
import { EXIT_CODES } from './control-errors.js';

/** Headroom on top of the estimate: directory blocks, metadata, rounding to blocks. */
const HEADROOM_BYTES = 64 * 1024;
/** Upper bound per replayed action in a pretty-printed recovery report (`"pause",` plus indent and newline). */
const REPORT_BYTES_PER_ACTION = 32;
/** Upper bound for one audit row, the control state and the head file together. */
const ROW_AND_STATE_BYTES = 16 * 1024;

/** Bytes a commit may need (pure): row, state and head file, plus resume's report. */
export function bytesNeededForCommit(action: string, auditRows: number): number {
  const report = action === 'resume' ? auditRows * REPORT_BYTES_PER_ACTION + 8 * 1024 : 0;
  return ROW_AND_STATE_BYTES + report + HEADROOM_BYTES;
}

/** Not enough space on the state directory's file system: found before any write, exit 1. */
export class InsufficientSpaceError extends Error {
  override name = 'InsufficientSpaceError';
  readonly exitCode = EXIT_CODES.failure;
  constructor(stateDir: string, available: number, needed: number) {
    super(`not enough free space in '${stateDir}' (${available} bytes available, about ${needed} needed; nothing was changed)`);
  }
}

/** Throws `InsufficientSpaceError` when the file system holding `stateDir` has less than `needed` bytes free for us. */
export function assertFreeSpace(stateDir: string, needed: number): void {
  let stats: fs.StatsFs;
  try {
    stats = fs.statfsSync(stateDir);
  } catch {
    // A directory not created yet (a dry run) has nothing to measure; the lock file proves it writable later.
    return;
  }
  const available = stats.bavail * stats.bsize;
  if (available < needed) throw new InsufficientSpaceError(stateDir, available, needed);
}
