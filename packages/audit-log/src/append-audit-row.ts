import fs from 'node:fs';
import { appendLineDurably } from '@tau/durable-fs';
import { openRegularFile, serializeAuditRow, type AppendableAuditRow, type AuditHead } from '@tau/schemas';
import { AuditAppendError } from './audit-log-errors.js';
import { locateLogTail } from './audit-log-tail.js';
import { localHostName, localOsUser } from './local-identity.js';
import { rowSha256Hex } from './row-hash.js';

/** Throws when the log ends in a torn line: appending would glue the new row onto it. Returns the log's length (0: absent). */
function assertNoTornTail(filePath: string): number {
  let fd: number;
  try {
    fd = openRegularFile(filePath).fd;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  try {
    const { size, completeLength } = locateLogTail(fd);
    if (completeLength !== size) {
      throw new AuditAppendError(
        `the log ends with an unterminated line of ${size - completeLength} bytes (a torn write); repair the torn tail first`,
      );
    }
    return size;
  } finally {
    fs.closeSync(fd);
  }
}

/** The row as it will be written: chained to `head`, with the local OS user and host unless given. */
export function chainAuditRow<R extends AppendableAuditRow>(row: R, head: AuditHead): R {
  const { prev_sha256: _ignored, ...rest } = row;
  const chained = { ...rest } as R;
  if (head.last_row_sha256 !== null) chained.prev_sha256 = head.last_row_sha256;
  chained.os_user = row.os_user ?? localOsUser();
  chained.host = row.host ?? localHostName();
  return chained;
}

/**
 * Appends one audit row durably (one write, then fsync): the commit point of a
 * control command. `head` is where the log ends now (from `replayAuditLog`);
 * the row gets `prev_sha256` = `head.last_row_sha256` (none for a log's first
 * row) and `os_user` / `host` unless already set. Refuses to append after a
 * torn tail. Returns the new head, which the caller records in the control state.
 */
export function appendAuditRow(filePath: string, row: AppendableAuditRow, head: AuditHead): AuditHead {
  return appendChainedAuditRow(filePath, row, head).head;
}

/** Where an appended row landed: the new head, and the row's byte offset and length (without `\n`). */
export interface AppendedAuditRow {
  head: AuditHead;
  offset: number;
  byteLength: number;
}

/** `appendAuditRow`, also saying where the row landed (what our head file records). */
export function appendChainedAuditRow(filePath: string, row: AppendableAuditRow, head: AuditHead): AppendedAuditRow {
  try {
    const bytes = Buffer.from(serializeAuditRow(chainAuditRow(row, head)), 'utf8');
    const offset = assertNoTornTail(filePath);
    appendLineDurably(filePath, bytes);
    const rowBytes = bytes.subarray(0, -1);
    return {
      head: { row_count: head.row_count + 1, last_row_sha256: rowSha256Hex(rowBytes) },
      offset,
      byteLength: rowBytes.length,
    };
  } catch (cause) {
    throw new AuditAppendError(`failed to append training control audit row to '${filePath}'`, { cause });
  }
}
