// One byte range of an audit log, scanned on its own (in a worker thread, or
// on the replaying thread) and summarized so that the replay can fold it in
// after the ranges before it, in log order, with the same result as walking
// those rows itself.
//
// A summary covers the range's lines up to the first row that is anything
// but ordinary, and says where it stopped (`stoppedAt`); the replay walks the
// rest of the range row by row, as a sequential replay does, so errors, line
// numbers and findings come from one code path whatever the split. Ordinary:
// the fast scanner accepts the row, it carries a timestamp, never goes back in
// time and never contradicts its action, and the rows after the range's first
// either all name the row before them in `prev_sha256` (ours) or all carry
// none (Tau's).
//
// The range's first row is handed over whole (its link and timestamp depend
// on the range before), the rest as a run whose effect on the folds is a few
// numbers (`AuditReplayFold.addLinkedRun`, `AuditChainFold.addLinkedRun`).
import fs from 'node:fs';
import type { LifecycleState } from '@tau/schemas';
import { AuditActionList, type AuditActionCodes } from './audit-action-list.js';
import { AuditLineBatch, type AuditTornTail } from './audit-log-lines.js';
import { AuditLogReader, type AuditLogFileIdentity } from './audit-log-reader.js';
import { lifecycleAfterAction } from './audit-replay-fold.js';
import type { AuditRowFields } from './audit-row-fields.js';
import { AuditRowScanner } from './audit-row-scanner.js';
import { isBlankAuditLine } from './blank-line.js';
import { ROW_HASH_HEX_LENGTH, RowBatchHasher, rowSha256Hex } from './row-hash.js';

const OPEN_BRACE = 0x7b;
const CR = 0x0d;

/** Lines hashed, then scanned, at a time (measured: a sixth less time than hashing and scanning each line in turn). */
const LINES_PER_BATCH = 64;

/** Rows at the end of a run whose positions a summary keeps (the head file's row is usually among them). */
export const RECENT_ROWS_KEPT = 256;

/** What a range scan needs to know. Plain data: posted to a worker thread. */
export interface AuditRangeInput {
  filePath: string;
  /**
   * The replay's open descriptor of the log and the file's identity: the range
   * is read from that very file (reopened through `/proc/self/fd` where there
   * is one), never from whatever the path names by then.
   */
  fd: number;
  identity: AuditLogFileIdentity;
  /** First byte (right after a `\n`, or 0). */
  start: number;
  /** End (exclusive, right after a `\n`); null: to the end of the file (the last range). */
  end: number | null;
  /** Keep each row's action (`collectActions`). */
  collectActions: boolean;
  /** The recorded head's last row hash: the run reports the last row that hashes to it. Null: none. */
  expectedHeadSha256: string | null;
  /**
   * The byte length of the row hashing to `expectedHeadSha256`, when it is
   * known (`recordedHeadRowLength`): a row of another length cannot hash to
   * it, so rows hashed only to look for the head are hashed only at this
   * length. Null: unknown, every such row is hashed.
   */
  expectedHeadByteLength: number | null;
  /** Hash every row and check the links of a chained run (a replay that checks the chain); false: neither, and `lastSha256` is ''. */
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
  /**
   * True: every row carries a prev_sha256 naming the row before it (ours).
   * False: no row carries one (Tau's, or rows replayed without the chain check).
   */
  chained: boolean;
  firstLine: number;
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
  /**
   * Rows per action: those first met in this run in that order, after those
   * the thread met in an earlier range (the fold has met them already, as
   * those ranges come earlier in the log).
   */
  actionCounts: [string, number][];
  /** Distinct principals, in order of first appearance in the run. */
  principals: string[];
  lastTimestamp: number;
  lastTimestampLine: number;
  /** The lifecycle the run's last mutating row leaves; null when it has none. */
  impliedLifecycle: LifecycleState | null;
  lastMutating: AuditRowPosition | null;
}

/** The summary of one range (or of its first lines: see `stoppedAt`). */
export interface AuditRangeSummary {
  /** Complete lines summarized, blank ones counted: the whole range's, or those before `stoppedAt`. */
  lineCount: number;
  /** Byte offset of the first line not summarized (the replay walks on from there); null: the whole range was. */
  stoppedAt: number | null;
  /** The range's unterminated final line (only the last range can have one), line relative; null when stopped early. */
  tornTail: AuditTornTail | null;
  first: AuditRangeFirstRow | null;
  /** Null when at most one row was summarized. */
  run: AuditLinkedRun | null;
}

/** The range's file, checked to be the replay's; undefined when it cannot be (the replay then walks the range itself). */
function openRange(input: AuditRangeInput, buffer: Buffer | undefined): AuditLogReader | undefined {
  const { O_RDONLY, O_NONBLOCK } = fs.constants;
  let fd: number;
  try {
    fd = fs.openSync(process.platform === 'linux' ? `/proc/self/fd/${input.fd}` : input.filePath, O_RDONLY | O_NONBLOCK);
  } catch {
    return undefined;
  }
  const log = AuditLogReader.over(input.filePath, fd, { start: input.start, end: input.end ?? undefined, lineBase: 0 }, buffer);
  try {
    const identity = log.identity();
    if (identity.dev === input.identity.dev && identity.ino === input.identity.ino) return log;
  } catch {
    // Cannot tell: not the replay's file.
  }
  log.close();
  return undefined;
}

/** Scans one range of the log (see the file comment). Reads only; null when the file is not the replay's any more. */
export function summarizeAuditRange(input: AuditRangeInput): AuditRangeSummary | null {
  return new AuditRangeSummarizer().summarize(input);
}

/**
 * Summarizes ranges one after another on one thread (a replay hands each
 * thread many), keeping its read buffer, line batch, scanner and action
 * table: a fresh start per range would pay the compiler's warm-up again.
 *
 * What happens once per range (its first row, its end) is kept out of the
 * per-row loop (`scanBatches`, `RangeSummary.addBatch`): code V8 optimized
 * before a path ever ran is thrown away when that path first runs, and a
 * path that runs once per range would do that on every thread.
 */
export class AuditRangeSummarizer {
  private readonly batch = new AuditLineBatch(LINES_PER_BATCH);
  private readonly hasher = new RowBatchHasher(LINES_PER_BATCH);
  private buffer: Buffer | undefined;
  /** One scanner per kind of scan, kept from range to range (the principals it remembers stay useful too). */
  private readonly scanners: { chained?: AuditRowScanner; unchained?: AuditRowScanner } = {};
  /** The last range's action list, whose code table the next range's extends. */
  private lastActions: AuditActionList | undefined;

  summarize(input: AuditRangeInput): AuditRangeSummary | null {
    const log = openRange(input, this.buffer);
    if (log === undefined) return null;
    try {
      const scanner = input.checkChain ? (this.scanners.chained ??= new AuditRowScanner(true)) : (this.scanners.unchained ??= new AuditRowScanner(false));
      const actions = input.collectActions ? AuditActionList.continuing(this.lastActions) : null;
      if (actions !== null) this.lastActions = actions;
      const { batch, hasher } = this;
      const range = new RangeSummary(input, scanner, actions, hasher);
      let from = NO_ROW_YET;
      while (from === NO_ROW_YET && log.nextBatch(batch) > 0) {
        if (input.checkChain) hasher.hashRows(log.lines.buf, batch.starts, batch.ends, batch.count);
        from = range.takeFirstRow(log.lines.buf, batch);
      }
      const needed = input.checkChain ? HashesNeeded.All : HashesNeeded.None;
      if (from >= 0 && range.addBatch(log.lines.buf, batch, from, needed)) scanBatches(log, batch, hasher, range);
      return range.finish(log);
    } finally {
      // The buffer as it is now (grown, if a line needed it) serves the next range.
      this.buffer = log.lines.buf;
      log.close();
    }
  }
}

/** `takeFirstRow`: the batch held no row (blank lines only). */
const NO_ROW_YET = -1;
/** `takeFirstRow`: the summary stopped at the first row. */
const STOPPED = -2;

/** What the next batch's rows need hashed (`RangeSummary.hashesNeeded`). */
const enum HashesNeeded {
  None,
  All,
  /** Only rows of the recorded head row's byte length (the others are ''). */
  HeadLength,
}

/** The per-batch loop of a range's rows after its first: hash a batch of lines (as far as needed), then scan it. */
function scanBatches(log: AuditLogReader, batch: AuditLineBatch, hasher: RowBatchHasher, range: RangeSummary): void {
  while (log.nextBatch(batch) > 0) {
    const buf = log.lines.buf;
    const needed = range.hashesNeeded();
    if (needed === HashesNeeded.All) hasher.hashRows(buf, batch.starts, batch.ends, batch.count);
    else if (needed === HashesNeeded.HeadLength) hasher.hashRowsOfLength(buf, batch.starts, batch.ends, batch.count, range.expectedHeadByteLength as number);
    if (!range.addBatch(buf, batch, 0, needed)) return;
  }
}

/** One range's summary being built, batch by batch. */
class RangeSummary {
  private readonly checkChain: boolean;
  private readonly expectedHead: string | null;
  /** The byte length of the row hashing to `expectedHead`, when known (`AuditRangeInput.expectedHeadByteLength`). */
  readonly expectedHeadByteLength: number | null;
  private readonly counts = new Map<string, number>();
  private readonly principals = new Set<string>();
  // A ring of the last rows' positions (a shift per row would move the whole window).
  private readonly recentLines = new Float64Array(RECENT_ROWS_KEPT);
  private readonly recentOffsets = new Float64Array(RECENT_ROWS_KEPT);
  private first: AuditRangeFirstRow | null = null;
  private rows = 0;
  /** Whether the run's rows carry a prev_sha256 (decided by its first row; the others must agree). */
  private chained = false;
  private firstLine = 0;
  /** Where the previous row's hash is in `hasher.hex`; -1: not hashed. */
  private previousHashAt = -1;
  private previousLine = 0;
  private lineBeforeLast = 0;
  private previousTimestamp = 0;
  /** The principal of the last row that had one; '' and `principalNoted` false: none yet (a string throughout, for V8). */
  private lastPrincipal = '';
  private principalNoted = false;
  private lastOffset = 0;
  private lastByteLength = 0;
  private lastLineEndLength = 1;
  // The last row hashing to the expected head, as plain numbers set on every row (index 0: none), so that
  // the row that matches runs the same code as every other row.
  private headMatchIndex = 0;
  private headMatchLine = 0;
  private headMatchOffset = 0;
  private impliedLifecycle: LifecycleState | null = null;
  // The last mutating row's position as plain fields (an object per row would be most rows' garbage); line 0: none.
  private lastMutatingLine = 0;
  private lastMutatingOffset = 0;
  private lastMutatingLength = 0;
  private stoppedAt: number | null = null;
  private stoppedLine = 0;

  constructor(
    input: AuditRangeInput,
    private readonly scanner: AuditRowScanner,
    private readonly actions: AuditActionList | null,
    private readonly hasher: RowBatchHasher,
  ) {
    this.checkChain = input.checkChain;
    this.expectedHead = input.expectedHeadSha256;
    this.expectedHeadByteLength = input.expectedHeadByteLength;
  }

  /**
   * Takes the range's first row (its link and timestamp are checked by the
   * replay, against the range before) from the batch. Returns the index of
   * the line after it; `NO_ROW_YET` when the batch holds only blank lines;
   * `STOPPED` when the summary stops at it.
   */
  takeFirstRow(buf: Buffer, batch: AuditLineBatch): number {
    const { starts, ends, offsets, count } = batch;
    for (let k = 0; k < count; k += 1) {
      const start = starts[k] as number;
      const end = ends[k] as number;
      const offset = offsets[k] as number;
      const lineNumber = batch.firstLine + k;
      if (isBlankAuditLine(buf, start, end)) continue;
      // Its prev_sha256 is decoded: the replay checks it against the range before.
      this.scanner.setExpectedPrevHex(this.hasher.hex, -1);
      const fields = this.scanner.scan(buf, start, end) ? this.scanner.fields : undefined;
      const timestamp = fields?.timestamp_unix_ms;
      if (fields === undefined || timestamp === undefined) {
        this.stop(offset, lineNumber);
        return STOPPED;
      }
      const hashAt = this.checkChain ? k * ROW_HASH_HEX_LENGTH : -1;
      const sha256 = hashAt < 0 ? '' : this.hasher.text(hashAt);
      this.first = { line: lineNumber, offset, byteLength: end - start, lineEndLength: buf[end] === CR ? 2 : 1, sha256, fields: { ...fields } };
      this.previousHashAt = hashAt;
      this.previousLine = lineNumber;
      this.previousTimestamp = timestamp;
      return k + 1;
    }
    return NO_ROW_YET;
  }

  /**
   * Which of the next rows' hashes are needed. Without a chain check, none
   * are (the replay reads its last row back and hashes that). With one, a
   * run of rows that carry no `prev_sha256` (a log Tau wrote) links nothing
   * to them: only a row that may be the recorded head's is looked for by its
   * hash, and when the head row's length is known (`expectedHeadByteLength`)
   * only rows of that length can be. The run's last row's hash is needed too, and
   * `finish` reads that row back. Half of such a replay's time was hashing.
   */
  hashesNeeded(): HashesNeeded {
    if (!this.checkChain) return HashesNeeded.None;
    if (this.rows === 0 || this.chained) return HashesNeeded.All;
    if (this.expectedHead === null) return HashesNeeded.None;
    return this.expectedHeadByteLength === null ? HashesNeeded.All : HashesNeeded.HeadLength;
  }

  /**
   * Adds the batch's lines from index `from` on, all rows of the run (the
   * first row was taken already); false once a line ends the summary (it
   * stops before that line). `hashed`: which rows' hashes `hasher` holds
   * (the others are unknown).
   */
  addBatch(buf: Buffer, batch: AuditLineBatch, from: number, hashed: HashesNeeded): boolean {
    const count = batch.count;
    const { starts, ends, offsets } = batch;
    const { scanner, actions, expectedHead, hasher } = this;
    const hashedLength = hashed === HashesNeeded.HeadLength ? (this.expectedHeadByteLength as number) : -1;
    for (let k = from; k < count; k += 1) {
      const start = starts[k] as number;
      const end = ends[k] as number;
      const offset = offsets[k] as number;
      const lineNumber = batch.firstLine + k;
      if (buf[start] !== OPEN_BRACE && isBlankAuditLine(buf, start, end)) continue;
      // A prev_sha256 naming the previous row is matched against its hash in place (`prevSha256MatchedHex`).
      scanner.setExpectedPrevHex(hasher.hex, this.previousHashAt);
      const fields = scanner.scan(buf, start, end) ? scanner.fields : undefined;
      const timestamp = fields?.timestamp_unix_ms;
      if (fields === undefined || timestamp === undefined) return this.stop(offset, lineNumber);
      const hashAt = hashed === HashesNeeded.All || end - start === hashedLength ? k * ROW_HASH_HEX_LENGTH : -1;
      // It must leave the folds in the plain state (linked, in time, consistent).
      const { action } = fields;
      const derived = lifecycleAfterAction(action);
      const recorded = fields.lifecycle_state;
      // Its prev_sha256: matched in place, or decoded (a row outside the compact layout) and compared here.
      const prevMatched = scanner.prevSha256MatchedHex;
      const prev = fields.prev_sha256;
      const hasPrev = prevMatched || prev !== undefined;
      // The run's first row decides whether it is chained (stored on every row: no branch of its own).
      const runStart = this.rows === 0;
      const chained = runStart ? hasPrev : this.chained;
      this.chained = chained;
      this.firstLine = runStart ? lineNumber : this.firstLine;
      if (
        (chained ? !(prevMatched || (prev !== undefined && this.previousHashAt >= 0 && hasher.equals(this.previousHashAt, prev))) : hasPrev) ||
        timestamp < this.previousTimestamp ||
        (derived !== undefined && recorded !== undefined && recorded !== derived)
      ) {
        return this.stop(offset, lineNumber);
      }
      if (derived !== undefined) {
        this.impliedLifecycle = recorded ?? derived;
        this.lastMutatingLine = lineNumber;
        this.lastMutatingOffset = offset;
        this.lastMutatingLength = end - start;
      }
      const rows = this.rows + 1;
      this.rows = rows;
      // With the actions kept, their counts are taken from the list at the end (a map update per row costs more).
      if (actions === null) this.counts.set(action, (this.counts.get(action) ?? 0) + 1);
      else actions.push(action);
      const { principal } = fields;
      if (principal !== undefined && (principal !== this.lastPrincipal || !this.principalNoted)) {
        this.principals.add(principal);
        this.lastPrincipal = principal;
        this.principalNoted = true;
      }
      const isHead = expectedHead !== null && hashAt >= 0 && hasher.equals(hashAt, expectedHead);
      this.headMatchIndex = isHead ? rows : this.headMatchIndex;
      this.headMatchLine = isHead ? lineNumber : this.headMatchLine;
      this.headMatchOffset = isHead ? offset : this.headMatchOffset;
      this.recentLines[rows % RECENT_ROWS_KEPT] = lineNumber;
      this.recentOffsets[rows % RECENT_ROWS_KEPT] = offset;
      this.lineBeforeLast = this.previousLine;
      this.lastOffset = offset;
      this.lastByteLength = end - start;
      this.lastLineEndLength = buf[end] === CR ? 2 : 1;
      this.previousHashAt = hashAt;
      this.previousLine = lineNumber;
      this.previousTimestamp = timestamp;
    }
    // The next batch's hashes overwrite this one's.
    if (this.previousHashAt >= 0) this.previousHashAt = hasher.keep(this.previousHashAt);
    return true;
  }

  private stop(offset: number, line: number): false {
    this.stoppedAt = offset;
    this.stoppedLine = line;
    return false;
  }

  finish(log: AuditLogReader): AuditRangeSummary {
    const { rows } = this;
    const { lines } = log;
    // The run's last row may not have been hashed (see `hashesNeeded`): its hash is read back then.
    const lastSha256 =
      rows === 0 || !this.checkChain
        ? ''
        : this.previousHashAt < 0
          ? rowSha256Hex(log.readBytesAt(this.lastOffset, this.lastByteLength))
          : this.hasher.text(this.previousHashAt);
    const run: AuditLinkedRun | null =
      rows === 0
        ? null
        : {
            rows,
            chained: this.chained,
            firstLine: this.firstLine,
            lastLine: this.previousLine,
            lineBeforeLast: this.lineBeforeLast,
            lastOffset: this.lastOffset,
            lastByteLength: this.lastByteLength,
            lastLineEndLength: this.lastLineEndLength,
            lastSha256,
            headMatch: this.headMatchIndex === 0 ? null : { index: this.headMatchIndex, line: this.headMatchLine, offset: this.headMatchOffset },
            recentRows: recentRowsOf(this.recentLines, this.recentOffsets, rows),
            actions: this.actions === null ? null : this.actions.toCodes(),
            actionCounts: this.actions === null ? [...this.counts] : this.actions.counts(),
            principals: [...this.principals],
            lastTimestamp: this.previousTimestamp,
            lastTimestampLine: this.previousLine,
            impliedLifecycle: this.impliedLifecycle,
            lastMutating:
              this.lastMutatingLine === 0 ? null : { line: this.lastMutatingLine, offset: this.lastMutatingOffset, length: this.lastMutatingLength },
          };
    // Stopped at a line: the lines before it were summarized (that line is the walk's).
    const stoppedAt = this.stoppedAt;
    return {
      lineCount: stoppedAt === null ? lines.lineNumber : this.stoppedLine - 1,
      stoppedAt,
      tornTail: stoppedAt === null ? lines.tornTail : null,
      first: this.first,
      run,
    };
  }
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
    firstLine: run.firstLine + lineBase,
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
