import type { AuditReplayRow } from '@tau/schemas';
import { AuditLineParseError } from './audit-log-errors.js';
import type { AuditTornTail } from './audit-log-lines.js';
import { openAuditLogReader } from './open-audit-log.js';
import { parseAuditRow } from './audit-row-parse.js';
import { isBlankAuditLine } from './blank-line.js';

/** One row of the audit log with where it was found. */
export interface AuditLine {
  /** 1-based line number, blank lines counted. */
  line: number;
  /** Byte offset of the line's first byte. */
  offset: number;
  /** The line's bytes without its `\n` (or `\r\n`); these are what the hash chain hashes. */
  bytes: Buffer;
  row: AuditReplayRow;
}

/**
 * Streams the rows of an audit log (blank lines skipped, still counted), each
 * parsed in full with JSON.parse. A malformed terminated line throws
 * `AuditLineParseError`; a missing file yields nothing. The generator's
 * return value is the torn tail (an unterminated final line), or null: it is
 * never yielded as a row. Memory stays flat in file length.
 */
export function* readAuditLines(filePath: string): Generator<AuditLine, AuditTornTail | null, undefined> {
  const log = openAuditLogReader(filePath);
  if (log === undefined) return null;
  try {
    const { lines } = log;
    while (log.next()) {
      const { buf, start, end, lineNumber } = lines;
      if (isBlankAuditLine(buf, start, end)) continue;
      // A copy: the reader's buffer is reused for the next chunk.
      const bytes = Buffer.from(buf.subarray(start, end));
      let row: AuditReplayRow;
      try {
        row = parseAuditRow(bytes);
      } catch (cause) {
        throw new AuditLineParseError(lineNumber, filePath, { cause });
      }
      yield { line: lineNumber, offset: lines.offset, bytes, row };
    }
    return lines.tornTail;
  } finally {
    log.close();
  }
}
