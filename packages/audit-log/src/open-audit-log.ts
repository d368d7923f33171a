// Opening the audit log by path, as every command does: a regular file only,
// read without blocking. Kept apart from the reader itself so that the range
// worker (which opens the file it is given and checks its identity instead)
// loads no schema code: a worker thread starts in a fraction of the time.
import { openRegularFile } from '@tau/schemas';
import { AuditLogReadError } from './audit-log-errors.js';
import type { AuditLogRange } from './audit-log-lines.js';
import { AuditLogReader } from './audit-log-reader.js';

/**
 * Opens `filePath` for reading (non-blocking, a regular file only: a FIFO or
 * device there is `NotRegularFileError`); undefined when it does not exist (an empty log).
 */
export function openAuditLogIfPresent(filePath: string): number | undefined {
  try {
    return openRegularFile(filePath).fd;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A reader over `filePath` (only `range` of it, when given); undefined when it does not exist (an empty log). */
export function openAuditLogReader(filePath: string, range?: AuditLogRange): AuditLogReader | undefined {
  let fd: number | undefined;
  try {
    fd = openAuditLogIfPresent(filePath);
  } catch (cause) {
    throw new AuditLogReadError(filePath, { cause });
  }
  return fd === undefined ? undefined : AuditLogReader.over(filePath, fd, range);
}
