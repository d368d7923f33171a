import fs from 'node:fs';
import { countedFsync, countedTruncate } from './durable-operation.js';
import { DurableFsError } from './durable-fs-error.js';

/**
 * Truncates an existing file to `length` bytes and fsyncs it (used to cut a
 * torn tail off an append-only log after quarantining it).
 */
export function truncateFileDurably(filePath: string, length: number): void {
  try {
    const fd = fs.openSync(filePath, 'r+');
    try {
      countedTruncate(fd, length, filePath);
      countedFsync(fd, filePath);
    } finally {
      fs.closeSync(fd);
    }
  } catch (cause) {
    throw new DurableFsError(`truncate ${filePath} to ${length} bytes`, { cause });
  }
}
