import fs from 'node:fs';
import { appendLineDurably } from '@tau/durable-fs';
import {
  serializeAuditRow,
  serializeOperatorAuditRow,
  type AuditHead,
  type AuditRow,
  type OperatorAuditRow,
} from '@tau/schemas';
import { AuditAppendError } from './audit-log-errors.js';
import { locateLogTail } from './audit-log-tail.js';
import { localHostName, localOsUser } from './local-identity.js';
import { rowSha256Hex } from './row-hash.js';

/** Throws when the log ends in a torn line: appending would glue the new row onto it. */
function assertNoTornTail(filePath: string): void {
  let fd: number;
  try {
    fd = fs.openSync(filePath, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const { size, completeLength } = locateLogTail(fd);
    if (completeLength !== size) {
      throw new AuditAppendError(
        `the log ends with an unterminated line of ${size - completeLength} bytes (a torn write); repair the torn tail first`,
      );
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** The row as it will be written: chained to `head`, with the local OS user and host unless given. */
export function chainAuditRow<R extends AuditRow | OperatorAuditRow>(row: R, head: AuditHead): R {
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
export function appendAuditRow(filePath: string, row: AuditRow, head: AuditHead): AuditHead {
  return appendChainedLine(filePath, () => serializeAuditRow(chainAuditRow(row, head)), head);
}

/**
 * `appendAuditRow` for a row recording an operator's act (`lock_break`):
 * chained and appended the same way, through the same path, so whatever
 * protects lifecycle rows protects these too.
 */
export function appendOperatorAuditRow(filePath: string, row: OperatorAuditRow, head: AuditHead): AuditHead {
  return appendChainedLine(filePath, () => serializeOperatorAuditRow(chainAuditRow(row, head)), head);
}

function appendChainedLine(filePath: string, serialize: () => string, head: AuditHead): AuditHead {
  try {
    const line = serialize();
    assertNoTornTail(filePath);
    appendLineDurably(filePath, line);
    return {
      row_count: head.row_count + 1,
      last_row_sha256: rowSha256Hex(Buffer.from(line.slice(0, -1), 'utf8')),
    };
  } catch (cause) {
    throw new AuditAppendError(`failed to append training control audit row to '${filePath}'`, { cause });
  }
}
