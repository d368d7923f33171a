// One byte range of an audit log, scanned on its own (in a worker thread) and
// summarized so that the main thread can fold it in after the ranges before
// it, in log order, with the same result as walking those rows itself.
//
// A summary is exact only for the ordinary case, and says so with `clean`:
// every row is accepted by the fast scanner, carries a timestamp and a
// `prev_sha256`, and every row after the range's first links to the row
// before it, never goes back in time and never contradicts its action. The
// range's first row is handed over whole (its link and timestamp depend on
// the range before), the rest as a run whose effect on the folds is a few
// numbers (`AuditReplayFold.addLinkedRun`, `AuditChainFold.addLinkedRun`).
// Anything else (a malformed or declined line, an unchained row, a broken
// link, a warning) makes the range unclean, and the main thread walks it
// row by row as a sequential replay does: errors, line numbers and findings
// come from one code path whatever the split.
import type { LifecycleState } from '@tau/schemas';
import { AuditActionList, type AuditActionCodes } from './audit-action-list.js';
import type { AuditTornTail } from './audit-log-lines.js';
import { AuditLogReader } from './audit-log-reader.js';
import { lifecycleAfterAction } from './audit-replay-fold.js';
import type { AuditRowFields } from './audit-row-fields.js';
import { AuditRowScanner } from './audit-row-scanner.js';
import { isBlankAuditLine } from './blank-line.js';
import { rowSha256Hex } from './row-hash.js';

const OPEN_BRACE = 0x7b;
const CR = 0x0d;

/** Rows at the end of a run whose positions a summary keeps (the head file's row is usually among them). */
export const RECENT_ROWS_KEPT = 256;

/** What a range scan needs to know. Plain data: posted to a worker thread. */
export interface AuditRangeInput {
  filePath: string;
  /** First byte (right after a `\n`, or 0). */
  start: number;
  /** End (exclusive, right after a `\n`); null: to the end of the file (the last range). */
  end: number | null;
  /** Keep each row's action (`collectActions`). */
  collectActions: boolean;
  /** The recorded head's last row hash: the run reports the last row that hashes to it. Null: none. */
  expectedHeadSha256: string | null;
  /** Hash every row and require the links (a replay that checks the chain); false: neither, and `lastSha256` is ''. */
  checkChain: boolean;
}

/** Where a row sits; `line` relative to the range (1 = its first line). */
export interface AuditRowPosition {
  line: number;
  offset: number;
  length: number;
}

/** A range's first row, whole: line relative to the range. */
export interface AuditRangeFirstRow {
  line: number;
  offset: number;
  byteLength: number;
  lineEndLength: number;
  sha256: string;
  fields: AuditRowFields;
}

/**
 * The rows after a range's first, all linked in order (see the file comment).
 * Lines are relative to the range; `AuditLinkedRun` is the same with lines
 * made absolute.
 */
export interface AuditLinkedRun {
  rows: number;
  lastLine: number;
  /** Line of the row before the last (the range's first row when `rows` is 1). */
  lineBeforeLast: number;
  lastOffset: number;
  lastByteLength: number;
  lastLineEndLength: number;
  lastSha256: string;
  /** The last row (1-based index in the run) hashing to `expectedHeadSha256`; null when none. */
  headMatch: { index: number; line: number; offset: number } | null;
  /** Positions of the run's last rows (at most `RECENT_ROWS_KEPT`), in order, ending at its last row. */
  recentRows: { line: number; offset: number }[];
  /** Each row's action (null when not collected). */
  actions: AuditActionCodes | null;
  /** Rows per action, in order of first appearance in the run. */
  actionCounts: [string, number][];
  /** Distinct principals, in order of first appearance in the run. */
  principals: string[];
  lastTimestamp: number;
  lastTimestampLine: number;
  /** The lifecycle the run's last mutating row leaves; null when it has none. */
  impliedLifecycle: LifecycleState | null;
  lastMutating: AuditRowPosition | null;
}

/** The summary of one range. */
export interface AuditRangeSummary {
  /** False: the range needs the row-by-row walk (nothing else here is meaningful). */
  clean: boolean;
  /** Complete lines in the range, blank ones counted. */
  lineCount: number;
  /** The range's unterminated final line (only the last range can have one), line relative. */
  tornTail: AuditTornTail | null;
  first: AuditRangeFirstRow | null;
  /** Null when the range holds at most one row. */
  run: AuditLinkedRun | null;
}

const UNCLEAN: AuditRangeSummary = { clean: false, lineCount: 0, tornTail: null, first: null, run: null };

function copyFields(fields: AuditRowFields): AuditRowFields {
  return { ...fields };
}

/** Scans one range of the log (see the file comment). Reads only. */
export function summarizeAuditRange(input: AuditRangeInput): AuditRangeSummary {
  const log = AuditLogReader.open(input.filePath, { start: input.start, end: input.end ?? undefined, lineBase: 0 });
  if (log === undefined) return UNCLEAN;
  try {
    return summarizeLines(log, input);
  } finally {
    log.close();
  }
}

function summarizeLines(log: AuditLogReader, input: AuditRangeInput): AuditRangeSummary {
  const { lines } = log;
  const scanner = new AuditRowScanner(true);
  const actions = input.collectActions ? new AuditActionList() : null;
  const counts = new Map<string, number>();
  const principals = new Set<string>();
  // A ring of the last rows' positions (a shift per row would move the whole window).
  const recentLines = new Float64Array(RECENT_ROWS_KEPT);
  const recentOffsets = new Float64Array(RECENT_ROWS_KEPT);
  let first: AuditRangeFirstRow | null = null;
  let rows = 0;
  let previousSha256 = '';
  let previousLine = 0;
  let lineBeforeLast = 0;
  let previousTimestamp = 0;
  let lastPrincipal: string | undefined;
  let lastOffset = 0;
  let lastByteLength = 0;
  let lastLineEndLength = 1;
  let headMatch: AuditLinkedRun['headMatch'] = null;
  let impliedLifecycle: LifecycleState | null = null;
  let lastMutating: AuditRowPosition | null = null;
  const expectedHead = input.expectedHeadSha256;
  while (log.next()) {
    const { buf, start, end, lineNumber } = lines;
    if (buf[start] !== OPEN_BRACE && isBlankAuditLine(buf, start, end)) continue;
    if (!scanner.scan(buf, start, end)) return UNCLEAN;
    const fields = scanner.fields;
    const prev = fields.prev_sha256;
    const timestamp = fields.timestamp_unix_ms;
    if (prev === undefined || timestamp === undefined) return UNCLEAN;
    // Without a chain check nothing needs the hashes (the replay reads its last row back and hashes that).
    const sha256 = input.checkChain ? rowSha256Hex(buf.subarray(start, end)) : '';
    if (input.checkChain) scanner.expectedPrevSha256 = sha256;
    const lineEndLength = buf[end] === CR ? 2 : 1;
    if (first === null) {
      first = { line: lineNumber, offset: lines.offset, byteLength: end - start, lineEndLength, sha256, fields: copyFields(fields) };
    } else {
      // A row of the run: it must leave the folds in the plain state (linked, in time, consistent).
      if ((input.checkChain && prev !== previousSha256) || timestamp < previousTimestamp) return UNCLEAN;
      const { action } = fields;
      const derived = lifecycleAfterAction(action);
      const recorded = fields.lifecycle_state;
      if (derived !== undefined) {
        if (recorded !== undefined && recorded !== derived) return UNCLEAN;
        impliedLifecycle = recorded ?? derived;
        lastMutating = { line: lineNumber, offset: lines.offset, length: end - start };
      }
      rows += 1;
      actions?.push(action);
      counts.set(action, (counts.get(action) ?? 0) + 1);
      const { principal } = fields;
      if (principal !== undefined && principal !== lastPrincipal) {
        principals.add(principal);
        lastPrincipal = principal;
      }
      if (input.checkChain && sha256 === expectedHead) headMatch = { index: rows, line: lineNumber, offset: lines.offset };
      recentLines[rows % RECENT_ROWS_KEPT] = lineNumber;
      recentOffsets[rows % RECENT_ROWS_KEPT] = lines.offset;
      lineBeforeLast = previousLine;
      lastOffset = lines.offset;
      lastByteLength = end - start;
      lastLineEndLength = lineEndLength;
    }
    previousSha256 = sha256;
    previousLine = lineNumber;
    previousTimestamp = timestamp;
  }
  const run: AuditLinkedRun | null =
    rows === 0
      ? null
      : {
          rows,
          lastLine: previousLine,
          lineBeforeLast,
          lastOffset,
          lastByteLength,
          lastLineEndLength,
          lastSha256: previousSha256,
          headMatch,
          recentRows: recentRowsOf(recentLines, recentOffsets, rows),
          actions: actions === null ? null : actions.toCodes(),
          actionCounts: [...counts],
          principals: [...principals],
          lastTimestamp: previousTimestamp,
          lastTimestampLine: previousLine,
          impliedLifecycle,
          lastMutating,
        };
  return { clean: true, lineCount: lines.lineNumber, tornTail: lines.tornTail, first, run };
}

/** The ring's rows in order, oldest first (rows 1..`rows` were written at `index % RECENT_ROWS_KEPT`). */
function recentRowsOf(lines: Float64Array, offsets: Float64Array, rows: number): { line: number; offset: number }[] {
  const kept = Math.min(rows, RECENT_ROWS_KEPT);
  const out: { line: number; offset: number }[] = [];
  for (let index = rows - kept + 1; index <= rows; index += 1) {
    const slot = index % RECENT_ROWS_KEPT;
    out.push({ line: lines[slot] as number, offset: offsets[slot] as number });
  }
  return out;
}

/** `run` with its lines made absolute (`lineBase` lines come before its range). */
export function linkedRunAt(run: AuditLinkedRun, lineBase: number): AuditLinkedRun {
  return {
    ...run,
    lastLine: run.lastLine + lineBase,
    lineBeforeLast: run.lineBeforeLast + lineBase,
    lastTimestampLine: run.lastTimestampLine + lineBase,
    headMatch: run.headMatch === null ? null : { ...run.headMatch, line: run.headMatch.line + lineBase },
    recentRows: run.recentRows.map((row) => ({ line: row.line + lineBase, offset: row.offset })),
    lastMutating: run.lastMutating === null ? null : { ...run.lastMutating, line: run.lastMutating.line + lineBase },
  };
}

/** The position of the run's row `index` (1-based), when it is among the recent rows kept. */
export function linkedRunRowAt(run: AuditLinkedRun, index: number): { line: number; offset: number } | undefined {
  const fromEnd = run.rows - index;
  if (index < 1 || fromEnd < 0 || fromEnd >= run.recentRows.length) return undefined;
  return run.recentRows[run.recentRows.length - 1 - fromEnd];
}
