import { formatErrorChain, type AuditHead, type AuditReplayRow } from '@tau/schemas';
import type { AuditVerification } from './audit-chain-check.js';
import { AuditChainFold, type AuditChainFoldOptions, type AuditRowFacts } from './audit-chain-fold.js';
import type { AuditTornTail } from './audit-log-lines.js';
import type { AuditLogReader } from './audit-log-reader.js';
import type { AuditLinkedRun, AuditRangeFirstRow, AuditRangeSummary } from './audit-range-summary.js';
import { openAuditLogReader } from './open-audit-log.js';
import { foldAuditLogInRanges, type AuditRangeFolder, type AuditReplaySplit } from './replay-audit-log.js';
import { parseAuditRow } from './audit-row-parse.js';
import { AuditRowScanner } from './audit-row-scanner.js';
import { isBlankAuditLine } from './blank-line.js';
import { rowSha256Hex } from './row-hash.js';

const CR = 0x0d;

function isFoldOptions(value: AuditHead | AuditChainFoldOptions): value is AuditChainFoldOptions {
  return 'headSource' in value && 'expectedHead' in value;
}

/** A bare audit head (the control state's legacy `audit_head`) as fold options. */
function foldOptionsOf(expected: AuditHead | AuditChainFoldOptions | null | undefined): AuditChainFoldOptions {
  // No head given: nothing to check the tail against (a notice, not a finding); callers that know the head file is gone say `missing`.
  if (expected === null || expected === undefined) return { expectedHead: null, headSource: 'legacy' };
  if (isFoldOptions(expected)) return expected;
  return {
    expectedHead: { row_count: expected.row_count, last_row_offset: 0, end_offset: 0, last_row_sha256: expected.last_row_sha256 },
    headSource: 'legacy',
  };
}

/**
 * Walks the hash chain of an audit log (streaming) and reports edited or
 * deleted rows, malformed lines (verify carries on past them), unchained rows
 * and a torn tail; given the recorded audit head (our head file, or a
 * control state's legacy `audit_head`), also truncation of the tail and a
 * changed head row. A missing log verifies as empty. Feeds `AuditChainFold`,
 * which holds every rule.
 */
export function verifyAuditChain(
  filePath: string,
  expected?: AuditHead | AuditChainFoldOptions | null,
): AuditVerification {
  return foldAuditChain(filePath, new AuditChainFold(foldOptionsOf(expected)));
}

/** Operator rows to parse in full as verify meets them (`audit accept` rows: a few). */
export interface AuditRowCollection {
  actions: ReadonlySet<string>;
  onCollected: (line: number, row: AuditReplayRow) => void;
}

/**
 * Feeds every complete row of `filePath` to `fold` and finishes it. Rows whose
 * action is in `collect.actions` (operator acts such as `audit accept`, a few
 * rows) are also parsed in full and handed to `onCollected`, in log order.
 * Scans the log in ranges on every core as replay does (a range holding a
 * collected row is walked row by row); `split` as `replayAuditLog`'s (tests).
 */
export function foldAuditChain(filePath: string, fold: AuditChainFold, collect?: AuditRowCollection, split?: AuditReplaySplit): AuditVerification {
  const whole = openAuditLogReader(filePath);
  if (whole === undefined) return fold.finish(filePath, null);
  try {
    const walk = new AuditVerifyWalk(fold, filePath, collect);
    const tornTail = split?.rowByRow === true ? walk.walk(whole) : foldAuditLogInRanges(walk, whole, false, split);
    return fold.finish(filePath, tornTail);
  } finally {
    whole.close();
  }
}

/**
 * Verify's row-by-row walk: a malformed line is a finding and the walk goes
 * on (replay stops there), and collected rows are parsed in full. Range
 * summaries stand for the clean stretches between.
 */
class AuditVerifyWalk implements AuditRangeFolder {
  private readonly scanner = new AuditRowScanner();

  constructor(
    readonly chainFold: AuditChainFold,
    readonly filePath: string,
    private readonly collect: AuditRowCollection | undefined,
  ) {}

  walk(log: AuditLogReader): AuditTornTail | null {
    const { chainFold: fold, scanner, collect } = this;
    const { lines } = log;
    while (log.next()) {
      const { buf, start, end, lineNumber } = lines;
      if (isBlankAuditLine(buf, start, end)) continue;
      const bytes = buf.subarray(start, end);
      const lineEnd = buf[end] === CR ? 2 : 1;
      const facts: AuditRowFacts = {
        line: lineNumber,
        offset: lines.offset,
        byteLength: end - start,
        sha256: rowSha256Hex(bytes),
        prevSha256: undefined,
      };
      if (scanner.scan(buf, start, end)) {
        facts.prevSha256 = scanner.fields.prev_sha256;
        fold.addRow(facts, lineEnd);
        if (collect?.actions.has(scanner.fields.action) === true) collect.onCollected(lineNumber, parseAuditRow(bytes));
        continue;
      }
      let row: AuditReplayRow;
      try {
        row = parseAuditRow(bytes);
      } catch (error) {
        fold.addMalformedRow(facts, formatErrorChain(error), lineEnd);
        continue;
      }
      const prev = row.prev_sha256;
      facts.prevSha256 = typeof prev === 'string' ? prev : undefined;
      fold.addRow(facts, lineEnd);
      if (collect?.actions.has(row.action) === true) collect.onCollected(lineNumber, row);
    }
    return lines.tornTail;
  }

  addFirstRow(row: AuditRangeFirstRow, lineBase: number): void {
    const facts = { line: row.line + lineBase, offset: row.offset, byteLength: row.byteLength, sha256: row.sha256, prevSha256: row.fields.prev_sha256 };
    this.chainFold.addRow(facts, row.lineEndLength);
  }

  addLinkedRun(run: AuditLinkedRun): void {
    this.chainFold.addLinkedRun(run);
  }

  /** A summary holding a row to collect is not taken: its range is walked, and the row parsed there. */
  acceptsSummary(summary: AuditRangeSummary): boolean {
    const collected = this.collect?.actions;
    if (collected === undefined || collected.size === 0) return true;
    if (summary.first !== null && collected.has(summary.first.fields.action)) return false;
    return !(summary.run?.actionCounts ?? []).some(([action, count]) => count > 0 && collected.has(action));
  }
}
