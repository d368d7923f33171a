// The byte length of the row our head file names, read back from where the
// file says that row sits and confirmed by its hash. Only a row of exactly
// those bytes hashes to the recorded head, so a scan looking for the head's
// row among rows nothing else needs hashed (rows Tau wrote, which carry no
// prev_sha256 to link) hashes only the rows of that length: a log of a
// million Tau rows is then replayed without a million hashes. When the
// position does not hold the row (an edited log, a head file out of date),
// the length is unknown and the scan hashes every row, as it must to say
// where the head's row went.
import type { AuditChainHead } from './audit-chain-fold.js';
import type { AuditLogReader } from './audit-log-reader.js';
import { rowSha256Hex } from './row-hash.js';

const LF = 0x0a;
const CR = 0x0d;

/** Longer "rows" are not read back (a head file naming one is out of date or forged; every row is hashed then). */
export const MAX_HEAD_ROW_READ_BYTES = 1 << 20;

/**
 * The byte length (without its line ending) of the row at the head's
 * recorded position, when the bytes there end a line and hash to the head;
 * null otherwise, and when there is no head or no position (a legacy head).
 * `size`: the log's size in bytes.
 */
export function recordedHeadRowLength(log: AuditLogReader, head: AuditChainHead | null, size: number): number | null {
  if (head === null || head.last_row_sha256 === null) return null;
  const { last_row_offset: start, end_offset: end } = head;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end <= start || end > size) return null;
  if (end - start > MAX_HEAD_ROW_READ_BYTES) return null;
  let bytes: Buffer;
  try {
    bytes = log.readBytesAt(start, end - start);
  } catch {
    // The file shrank meanwhile: the scan meets that itself; here the length is just unknown.
    return null;
  }
  if (bytes[bytes.length - 1] !== LF) return null;
  const length = bytes.length >= 2 && bytes[bytes.length - 2] === CR ? bytes.length - 2 : bytes.length - 1;
  return rowSha256Hex(bytes.subarray(0, length)) === head.last_row_sha256 ? length : null;
}
