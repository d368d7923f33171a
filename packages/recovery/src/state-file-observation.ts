// The effects half of the write check in state-file-writes.ts: looks at the
// paths a command will write and leaves the verdict to the pure functions.
import fs from 'node:fs';
import path from 'node:path';
import { observeWriteTarget, type WriteTargetObservation } from '@tau/durable-fs';
import { StateFileUnwritableError } from './control-errors.js';
import {
  findUnwritableStateFiles,
  type PlannedStateFileWrite,
  type UnwritableStateFile,
} from './state-file-writes.js';

function writePermitted(write: PlannedStateFileWrite): boolean {
  try {
    // A replace renames into the directory of the file a link points to; an in-place write opens the file.
    const where = write.method === 'replace' ? path.dirname(fs.realpathSync(write.path)) : write.path;
    fs.accessSync(where, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Every planned write that cannot succeed, from lstat, stat and access of
 * its path; a path that cannot even be looked at is one of them.
 */
export function checkStateFileWrites(writes: readonly PlannedStateFileWrite[]): UnwritableStateFile[] {
  return writes.flatMap((write) => {
    let observation: WriteTargetObservation;
    try {
      observation = observeWriteTarget(write.path);
    } catch (error) {
      return [{ path: write.path, problem: `it cannot be examined (${(error as Error).message})` }];
    }
    return findUnwritableStateFiles([{ ...write, observation, permitted: writePermitted(write) }]);
  });
}

/** Throws `StateFileUnwritableError` for the first planned write that cannot succeed; call before the first write. */
export function assertStateFileWrites(writes: readonly PlannedStateFileWrite[]): void {
  const [first] = checkStateFileWrites(writes);
  if (first !== undefined) throw new StateFileUnwritableError(first.path, { cause: new Error(first.problem) });
}
