import path from 'node:path';
import { fsyncDirectory } from './directory.js';
import { countedRename } from './durable-operation.js';
import { DurableFsError } from './durable-fs-error.js';

/**
 * Renames a complete, already fsynced file into place within one directory
 * (one counted operation for the failpoints), then fsyncs the directory so
 * the new name survives a crash. Used to install a file written earlier
 * under a temporary name once the audit row that commits it is durable.
 */
export function renameFileDurably(from: string, to: string): void {
  try {
    countedRename(from, to);
    fsyncDirectory(path.dirname(to));
  } catch (cause) {
    throw new DurableFsError(`rename ${from} to ${to}`, { cause });
  }
}
