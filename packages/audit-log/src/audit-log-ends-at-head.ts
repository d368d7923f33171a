// The O(1) integrity check for commands that do not replay the log: does the
// log end exactly at the head we recorded? One fstat and one read of the last
// row's bytes, whatever the log's length. It proves the common case only: a
// `false` says nothing about what is wrong, and the caller then replays the
// whole log, whose chain fold names the finding exactly. Edits before our
// last row are not seen here when they keep the file's identity stamp, which
// takes resetting the clock or writing within the same kernel clock tick as
// our commit; `audit verify` and resume, which replay, see them all.
import fs from 'node:fs';
import { readBytesAt } from './read-bytes-at.js';
import { rowSha256Hex } from './row-hash.js';

const NEWLINE = 0x0a;

/** What our head file records about the last row we chained. */
export interface RecordedAuditHead {
  readonly row_count: number;
  readonly last_row_offset: number;
  readonly end_offset: number;
  readonly last_row_sha256: string | null;
  /** `auditLogChangeStamp` right after that row's append; without it the check always says false. */
  readonly log_change?: string | undefined;
}

/**
 * True when nothing has changed the log since our last row's append (same
 * device, inode, size and ctime as the head file recorded) and `filePath` is a
 * regular file of exactly `head.end_offset` bytes
 * whose bytes `[last_row_offset, end_offset - 1)` hash to `last_row_sha256`
 * and are followed by the final `\n` (an empty log for an empty head).
 * Nothing after our last row: no Tau-appended rows, no committed-but-unapplied
 * row, no torn tail. False in every other case, including a missing file
 * when rows are recorded.
 */
export function auditLogEndsAtHead(filePath: string, head: RecordedAuditHead): boolean {
  if (head.log_change === undefined || auditLogChangeStamp(filePath) !== head.log_change) return false;
  let fd: number;
  try {
    fd = fs.openSync(filePath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW);
  } catch {
    return false;
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || stat.size !== head.end_offset) return false;
    if (head.row_count === 0 || head.last_row_sha256 === null) return head.row_count === 0 && head.end_offset === 0;
    const length = head.end_offset - head.last_row_offset;
    if (head.last_row_offset < 0 || length < 2) return false;
    const bytes = readBytesAt(fd, head.last_row_offset, length);
    if (bytes[length - 1] !== NEWLINE) return false;
    if (head.last_row_offset > 0 && readBytesAt(fd, head.last_row_offset - 1, 1)[0] !== NEWLINE) return false;
    return rowSha256Hex(bytes.subarray(0, length - 1)) === head.last_row_sha256;
  } catch {
    return false;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The identity of the log file as `fstat` sees it: device, inode, size and
 * ctime in nanoseconds. Any write, truncation, rename over it or permission
 * change gives a different string; null when the file cannot be stat'ed.
 */
export function auditLogChangeStamp(filePath: string): string | null {
  try {
    const stat = fs.lstatSync(filePath, { bigint: true });
    if (!stat.isFile()) return null;
    return `${stat.dev}:${stat.ino}:${stat.size}:${stat.ctimeNs}`;
  } catch {
    return null;
  }
}
