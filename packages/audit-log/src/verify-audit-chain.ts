import { formatErrorChain, type AuditHead } from '@tau/schemas';
import { AuditChainCheck, type AuditVerification } from './audit-chain-check.js';
import { AuditLogReader } from './audit-log-reader.js';
import { parseAuditRow } from './audit-row-parse.js';
import { AuditRowScanner } from './audit-row-scanner.js';
import { isBlankAuditLine } from './blank-line.js';
import { rowSha256Hex } from './row-hash.js';

/**
 * Walks the hash chain of an audit log (streaming) and reports edited or
 * deleted rows, malformed lines (verify carries on past them), unchained rows
 * and a torn tail; given the audit head recorded in the control state, also
 * truncation of the tail. A missing log verifies as empty.
 */
export function verifyAuditChain(filePath: string, expectedHead?: AuditHead | null): AuditVerification {
  const check = new AuditChainCheck(expectedHead ?? null);
  const log = AuditLogReader.open(filePath);
  if (log === undefined) return check.finish(filePath, null);
  try {
    const { lines } = log;
    const scanner = new AuditRowScanner();
    while (log.next()) {
      const { buf, start, end, lineNumber } = lines;
      if (isBlankAuditLine(buf, start, end)) continue;
      const bytes = buf.subarray(start, end);
      const sha256 = rowSha256Hex(bytes);
      if (scanner.scan(buf, start, end)) {
        check.addRow(lineNumber, sha256, scanner.fields.prev_sha256);
        continue;
      }
      let prev: unknown;
      try {
        prev = parseAuditRow(bytes).prev_sha256;
      } catch (error) {
        check.addMalformedRow(lineNumber, sha256, formatErrorChain(error));
        continue;
      }
      check.addRow(lineNumber, sha256, typeof prev === 'string' ? prev : undefined);
    }
    return check.finish(filePath, lines.tornTail);
  } finally {
    log.close();
  }
}
