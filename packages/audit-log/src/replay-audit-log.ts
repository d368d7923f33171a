import { AuditLineParseError } from './audit-log-errors.js';
import { AuditLogReader } from './audit-log-reader.js';
import { AuditReplayFold, type AuditMutatingRow, type AuditReplay, type AuditReplayOptions } from './audit-replay-fold.js';
import { auditRowFieldsOf, type AuditRowFields } from './audit-row-fields.js';
import { parseAuditRow } from './audit-row-parse.js';
import { AuditRowScanner } from './audit-row-scanner.js';
import { isBlankAuditLine } from './blank-line.js';
import { rowSha256Hex } from './row-hash.js';

const OPEN_BRACE = 0x7b;
const CR = 0x0d;

/** Where a row sits in the file, so its bytes can be read back after the scan. */
interface RowPosition {
  line: number;
  offset: number;
  length: number;
}

function parseLineOrThrow(bytes: Uint8Array, line: number, filePath: string) {
  try {
    return parseAuditRow(bytes);
  } catch (cause) {
    throw new AuditLineParseError(line, filePath, { cause });
  }
}

/**
 * Replays `control-audit.jsonl` into recovery metadata, streaming (memory flat
 * in file length). Each complete line is validated by the fast scanner, and
 * any line it declines by the JSON.parse path, which accepts it or throws
 * `AuditLineParseError`. A missing file is an empty log; a torn final line is
 * reported in `torn_tail`, never an error. Only the last row is hashed.
 * `options.collectActions: false` leaves `replayed_actions` null (nothing kept per row).
 */
export function replayAuditLog(filePath: string, options: AuditReplayOptions = {}): AuditReplay {
  const fold = new AuditReplayFold(options.collectActions ?? true);
  const chainFold = options.chainFold;
  const log = AuditLogReader.open(filePath);
  if (log === undefined) return fold.finish({ torn_tail: null, last_row_sha256: null, last_mutating_row: null });
  try {
    const { lines } = log;
    const scanner = new AuditRowScanner(chainFold !== undefined);
    // Plain numbers rather than an object per row: this loop runs a million times.
    let lastRowLine = 0;
    let lastRowOffset = 0;
    let lastRowLength = 0;
    let lastMutating: RowPosition | undefined;
    while (log.next()) {
      const { buf, start, end, lineNumber } = lines;
      if (buf[start] !== OPEN_BRACE && isBlankAuditLine(buf, start, end)) continue;
      let fields: AuditRowFields;
      if (scanner.scan(buf, start, end)) {
        fields = scanner.fields;
      } else {
        fields = auditRowFieldsOf(parseLineOrThrow(buf.subarray(start, end), lineNumber, filePath));
        // JSON.parse decoded a fresh string; share one per distinct action, as the scanner does.
        fields.action = scanner.sharedAction(fields.action);
      }
      if (fold.addRow(lineNumber, fields)) {
        if (lastMutating === undefined) lastMutating = { line: 0, offset: 0, length: 0 };
        lastMutating.line = lineNumber;
        lastMutating.offset = lines.offset;
        lastMutating.length = end - start;
      }
      // The chain-check hook (issue 12): one fact record per row, fed in log order.
      if (chainFold !== undefined) {
        chainFold.addRow(
          {
            line: lineNumber,
            offset: lines.offset,
            byteLength: end - start,
            sha256: rowSha256Hex(buf.subarray(start, end)),
            prevSha256: fields.prev_sha256,
          },
          buf[end] === CR ? 2 : 1,
        );
      }
      lastRowLine = lineNumber;
      lastRowOffset = lines.offset;
      lastRowLength = end - start;
    }
    return fold.finish({
      torn_tail: lines.tornTail,
      last_row_sha256: lastRowLine === 0 ? null : rowSha256Hex(log.readBytesAt(lastRowOffset, lastRowLength)),
      last_mutating_row: lastMutating === undefined ? null : readMutatingRow(log, lastMutating),
    });
  } finally {
    log.close();
  }
}

function readMutatingRow(log: AuditLogReader, position: RowPosition): AuditMutatingRow {
  const bytes = log.readBytesAt(position.offset, position.length);
  return { line: position.line, offset: position.offset, row: parseLineOrThrow(bytes, position.line, log.filePath) };
}
