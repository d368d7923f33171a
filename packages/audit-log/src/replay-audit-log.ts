import os from 'node:os';
import type { AuditChainFold } from './audit-chain-fold.js';
import { AuditLineParseError } from './audit-log-errors.js';
import type { AuditLogRange, AuditTornTail } from './audit-log-lines.js';
import type { AuditLogReader } from './audit-log-reader.js';
import { openAuditLogReader } from './open-audit-log.js';
import {
  AuditRangeSummarizer,
  linkedRunAt,
  type AuditLinkedRun,
  type AuditRangeFirstRow,
  type AuditRangeInput,
  type AuditRangeSummary,
} from './audit-range-summary.js';
import { AuditRangeScans, rangeWorkerPath, summarizeRangeOrNull } from './audit-range-runner.js';
import { AuditReplayFold, type AuditMutatingRow, type AuditReplay, type AuditReplayOptions } from './audit-replay-fold.js';
import { auditRowFieldsOf, type AuditRowFields } from './audit-row-fields.js';
import { parseAuditRow } from './audit-row-parse.js';
import { AuditRowScanner } from './audit-row-scanner.js';
import { isBlankAuditLine } from './blank-line.js';
import { recordedHeadRowLength } from './recorded-head-row-length.js';
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

/** How a replay may split the log across threads (tests pick the split; defaults otherwise). */
export interface AuditReplaySplit {
  /** Byte offsets to split at (each moves on to just after the next `\n`). Default: ranges of about 8 MiB. */
  at?: number[];
  /** Logs smaller than this are replayed on one thread (default 32 MiB). */
  minBytes?: number;
  /**
   * `worker`: worker threads too (the default, when the built worker exists);
   * `in-process`: every range on this thread; `workers-only`: this thread
   * claims no range, so the workers scan them all (tests).
   */
  runner?: 'worker' | 'in-process' | 'workers-only';
  /** Walk every row on this thread, summarizing nothing: the reference the summarized replay must equal (tests). */
  rowByRow?: boolean;
  /** The worker entry to start (tests, which run from sources: no built entry sits beside them). */
  workerPath?: string;
}

/** Below this a log is replayed on one thread: starting a worker costs about what scanning 10 MB does. */
const DEFAULT_PARALLEL_MIN_BYTES = 32 << 20;
/** Ranges claimed in turn by the threads: small enough that no thread waits long for another's last one. */
const RANGE_TARGET_BYTES = 8 << 20;
const MAX_RANGES = 1024;
/**
 * The log's last ranges are this many times smaller: the thread that takes
 * the last one finishes sooner, and the other waits less for it (measured:
 * up to a whole range's time at the end of a replay).
 */
const TAIL_RANGES = 4;
const TAIL_RANGE_DIVISOR = 4;
const MAX_THREADS = 4;

/**
 * What takes a log's rows in order while it is scanned in ranges: a range's
 * summary where one stands for its rows, the rows one by one where none does
 * (`foldAuditLogInRanges`). The replay's walk is one; `audit verify`'s another.
 */
export interface AuditRangeFolder {
  readonly filePath: string;
  /** The chain check fed along (a summary's run must fit where the fold is). */
  readonly chainFold: AuditChainFold | undefined;
  /** Walks every line `log` holds (all of it, or its range); returns the torn tail, if any. */
  walk(log: AuditLogReader): AuditTornTail | null;
  /** A range's first row, scanned elsewhere: exactly what `walk` does with it. */
  addFirstRow(row: AuditRangeFirstRow, lineBase: number): void;
  /** The rest of the range (lines absolute). */
  addLinkedRun(run: AuditLinkedRun): void;
  /** Whether this summary may stand for walking its range (checked before any of it is added). */
  acceptsSummary(summary: AuditRangeSummary): boolean;
}

/** The replay's row-by-row walk: feeds both folds and keeps what `finish` needs. */
class AuditRowWalk implements AuditRangeFolder {
  readonly scanner: AuditRowScanner;
  lastRowLine = 0;
  lastRowOffset = 0;
  lastRowLength = 0;
  lastMutating: RowPosition | undefined;

  constructor(
    readonly fold: AuditReplayFold,
    readonly chainFold: AuditChainFold | undefined,
    readonly filePath: string,
  ) {
    this.scanner = new AuditRowScanner(chainFold !== undefined);
  }

  walk(log: AuditLogReader): AuditTornTail | null {
    const { fold, chainFold, scanner, filePath } = this;
    const { lines } = log;
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
      if (fold.addRow(lineNumber, fields)) this.noteMutating(lineNumber, lines.offset, end - start);
      // The chain-check hook (issue 12): one fact record per row, fed in log order.
      if (chainFold !== undefined) {
        const sha256 = rowSha256Hex(buf.subarray(start, end));
        // The next row most likely names this hash: the scanner then matches it instead of decoding it.
        scanner.expectedPrevSha256 = sha256;
        chainFold.addRowAt(lineNumber, lines.offset, end - start, sha256, fields.prev_sha256, buf[end] === CR ? 2 : 1);
      }
      this.lastRowLine = lineNumber;
      this.lastRowOffset = lines.offset;
      this.lastRowLength = end - start;
    }
    return lines.tornTail;
  }

  addFirstRow(row: AuditRangeFirstRow, lineBase: number): void {
    const line = row.line + lineBase;
    if (this.fold.addRow(line, row.fields)) this.noteMutating(line, row.offset, row.byteLength);
    this.chainFold?.addRow(
      { line, offset: row.offset, byteLength: row.byteLength, sha256: row.sha256, prevSha256: row.fields.prev_sha256 },
      row.lineEndLength,
    );
    this.lastRowLine = line;
    this.lastRowOffset = row.offset;
    this.lastRowLength = row.byteLength;
  }

  addLinkedRun(run: AuditLinkedRun): void {
    this.fold.addLinkedRun(run);
    this.chainFold?.addLinkedRun(run);
    if (run.lastMutating !== null) this.noteMutating(run.lastMutating.line, run.lastMutating.offset, run.lastMutating.length);
    this.lastRowLine = run.lastLine;
    this.lastRowOffset = run.lastOffset;
    this.lastRowLength = run.lastByteLength;
  }

  acceptsSummary(): boolean {
    return true;
  }

  private noteMutating(line: number, offset: number, length: number): void {
    if (this.lastMutating === undefined) this.lastMutating = { line: 0, offset: 0, length: 0 };
    this.lastMutating.line = line;
    this.lastMutating.offset = offset;
    this.lastMutating.length = length;
  }
}

/**
 * Where to split a log of `size` bytes: offsets right after a `\n`, strictly
 * increasing, none at 0 or at the end; empty for one range.
 */
function splitOffsets(log: AuditLogReader, size: number, split: AuditReplaySplit | undefined): number[] {
  let wanted: number[];
  if (split?.at !== undefined) {
    wanted = split.at;
  } else {
    if (size < (split?.minBytes ?? DEFAULT_PARALLEL_MIN_BYTES)) return [];
    wanted = rangeStarts(size);
  }
  const offsets: number[] = [];
  for (const target of wanted) {
    const from = Math.max(target, offsets.at(-1) ?? 0);
    const after = nextLineStart(log, from, size);
    if (after > (offsets.at(-1) ?? 0) && after < size) offsets.push(after);
  }
  return offsets;
}

/** Where the ranges of a log of `size` bytes should start (0 left out): even ranges, then `TAIL_RANGES` smaller ones. */
function rangeStarts(size: number): number[] {
  const tailBytes = Math.min(Math.floor(size / 4), (TAIL_RANGES * RANGE_TARGET_BYTES) / TAIL_RANGE_DIVISOR);
  const bodyBytes = size - tailBytes;
  const bodyRanges = Math.max(1, Math.min(MAX_RANGES - TAIL_RANGES, Math.ceil(bodyBytes / RANGE_TARGET_BYTES)));
  const starts = Array.from({ length: bodyRanges - 1 }, (_, index) => Math.floor((bodyBytes * (index + 1)) / bodyRanges));
  for (let index = 0; index < TAIL_RANGES; index += 1) starts.push(bodyBytes + Math.floor((tailBytes * index) / TAIL_RANGES));
  return starts;
}

/** The offset right after the first `\n` at or after `from`; `size` when there is none. */
function nextLineStart(log: AuditLogReader, from: number, size: number): number {
  // A row is rarely longer than a few hundred bytes: look in 4 KiB first, then in larger reads.
  let probe = 4 * 1024;
  for (let offset = from; offset < size; offset += probe, probe = 64 * 1024) {
    const bytes = log.readBytesAt(offset, Math.min(probe, size - offset));
    const newline = bytes.indexOf(0x0a);
    if (newline >= 0) return offset + newline + 1;
  }
  return size;
}

/**
 * Replays `control-audit.jsonl` into recovery metadata, streaming (memory flat
 * in file length). Each complete line is validated by the fast scanner, and
 * any line it declines by the JSON.parse path, which accepts it or throws
 * `AuditLineParseError`. A missing file is an empty log; a torn final line is
 * reported in `torn_tail`, never an error. Only the last row is hashed, unless
 * `options.chainFold` checks the chain in the same pass.
 * `options.collectActions: false` leaves `replayed_actions` null (nothing kept per row).
 *
 * The log is summarized in byte ranges split at line starts (one range for a
 * short log): this thread and worker threads claim ranges in turn, and the
 * summaries are folded in in log order (`AuditRangeSummary`). Where a summary
 * stops (a malformed or declined line, an unchained row, a broken link, a
 * warning), this thread walks the rest of that range row by row, so results
 * and errors are the sequential ones whatever the split.
 */
export function replayAuditLog(filePath: string, options: AuditReplayOptions = {}, split?: AuditReplaySplit): AuditReplay {
  const collectActions = options.collectActions ?? true;
  const fold = new AuditReplayFold(collectActions);
  const chainFold = options.chainFold;
  const walk = new AuditRowWalk(fold, chainFold, filePath);
  const whole = openAuditLogReader(filePath);
  if (whole === undefined) return fold.finish({ torn_tail: null, last_row_sha256: null, last_mutating_row: null });
  try {
    const tornTail = split?.rowByRow === true ? walk.walk(whole) : foldAuditLogInRanges(walk, whole, collectActions, split);
    return fold.finish({
      torn_tail: tornTail,
      last_row_sha256: walk.lastRowLine === 0 ? null : rowSha256Hex(whole.readBytesAt(walk.lastRowOffset, walk.lastRowLength)),
      last_mutating_row: walk.lastMutating === undefined ? null : readMutatingRow(whole, walk.lastMutating),
    });
  } finally {
    whole.close();
  }
}

/**
 * Summarizes the log in ranges (on this thread and workers) and folds them
 * into `walk` in order, walking row by row where a summary stops or `walk`
 * declines it (see `replayAuditLog`); returns the torn tail.
 * `collectActions`: the summaries keep each row's action.
 */
export function foldAuditLogInRanges(
  walk: AuditRangeFolder,
  whole: AuditLogReader,
  collectActions: boolean,
  split: AuditReplaySplit | undefined,
): AuditTornTail | null {
  const size = whole.size();
  const offsets = splitOffsets(whole, size, split);
  const identity = whole.identity();
  const expectedHeadByteLength = walk.chainFold === undefined ? null : recordedHeadRowLength(whole, walk.chainFold.expectedHead, size);
  const starts = [0, ...offsets];
  const inputs = starts.map(
    (start, index): AuditRangeInput => ({
      filePath: walk.filePath,
      fd: whole.fd,
      identity,
      start,
      end: starts[index + 1] ?? null,
      collectActions,
      expectedHeadSha256: walk.chainFold?.expectedHeadSha256 ?? null,
      expectedHeadByteLength,
      checkChain: walk.chainFold !== undefined,
    }),
  );
  const workerPath = inputs.length > 1 && split?.runner !== 'in-process' ? (split?.workerPath ?? rangeWorkerPath()) : undefined;
  const threads = Math.min(MAX_THREADS, os.availableParallelism(), inputs.length);
  const scans = new AuditRangeScans(inputs, workerPath, threads - 1);
  const summarizer = new AuditRangeSummarizer();
  const mine = new Map<number, AuditRangeSummary | null>();
  const folding = new RangeFolding(walk, whole, inputs);
  try {
    // Scan what nobody else took, folding in whatever is ready in log order meanwhile; then the rest, waiting for it.
    for (let index = split?.runner === 'workers-only' ? -1 : scans.claim(); index >= 0; index = scans.claim()) {
      mine.set(index, summarizeRangeOrNull(summarizer, inputs[index] as AuditRangeInput));
      while (!folding.done && (mine.has(folding.next) || scans.isPosted(folding.next))) folding.foldNext(takeSummary(folding.next, mine, scans));
    }
    while (!folding.done) folding.foldNext(takeSummary(folding.next, mine, scans));
    return folding.tornTail;
  } finally {
    scans.close();
  }
}

function takeSummary(index: number, mine: Map<number, AuditRangeSummary | null>, scans: AuditRangeScans): AuditRangeSummary | null {
  if (!mine.has(index)) return scans.takePosted(index);
  const summary = mine.get(index) ?? null;
  mine.delete(index);
  return summary;
}

/** Folds range summaries into the walk in log order, walking row by row what a summary does not cover. */
class RangeFolding {
  /** The next range to fold. */
  next = 0;
  /** Lines before the next range. */
  private lineBase = 0;
  tornTail: AuditTornTail | null = null;
  private finished = false;

  constructor(
    private readonly walk: AuditRangeFolder,
    private readonly whole: AuditLogReader,
    private readonly inputs: readonly AuditRangeInput[],
  ) {}

  get done(): boolean {
    return this.finished || this.next >= this.inputs.length;
  }

  foldNext(summary: AuditRangeSummary | null): void {
    const { walk } = this;
    const input = this.inputs[this.next] as AuditRangeInput;
    const isLast = this.next === this.inputs.length - 1;
    this.next += 1;
    let walkFrom = input.start;
    // An unterminated line can only end the last range (another means the file shrank meanwhile).
    if (summary !== null && (summary.tornTail === null || isLast) && canFoldIn(walk, summary, this.lineBase)) {
      if (summary.first !== null) walk.addFirstRow(summary.first, this.lineBase);
      if (summary.run !== null) walk.addLinkedRun(linkedRunAt(summary.run, this.lineBase));
      if (summary.stoppedAt === null) {
        if (isLast && summary.tornTail !== null) this.tornTail = { ...summary.tornTail, line: summary.tornTail.line + this.lineBase };
        this.lineBase += summary.lineCount;
        return;
      }
      this.lineBase += summary.lineCount;
      walkFrom = summary.stoppedAt;
    }
    // The rest of the range, row by row, from the same open file.
    const walked = this.walkRange({ start: walkFrom, end: input.end ?? undefined, lineBase: this.lineBase });
    this.lineBase = walked.lineNumber;
    if (walked.tornTail === null) return;
    if (isLast) {
      this.tornTail = walked.tornTail;
      return;
    }
    // The range ended mid-line: the file shrank. From that line on to the end of the file, row by row, and no more ranges.
    this.tornTail = this.walkRange({ start: walked.tornTail.offset, end: undefined, lineBase: this.lineBase }).tornTail;
    this.finished = true;
  }

  private walkRange(range: AuditLogRange): { lineNumber: number; tornTail: AuditTornTail | null } {
    const log = this.whole.range(range);
    const tornTail = this.walk.walk(log);
    return { lineNumber: log.lines.lineNumber, tornTail };
  }
}

/** Whether a range's summary can stand for walking its rows, right where the walk is now. */
function canFoldIn(walk: AuditRangeFolder, summary: AuditRangeSummary, lineBase: number): boolean {
  if (!walk.acceptsSummary(summary)) return false;
  if (summary.run === null || walk.chainFold === undefined) return true;
  return walk.chainFold.canAddLinkedRun(linkedRunAt(summary.run, lineBase), summary.first === null ? 0 : 1);
}

function readMutatingRow(log: AuditLogReader, position: RowPosition): AuditMutatingRow {
  const bytes = log.readBytesAt(position.offset, position.length);
  return { line: position.line, offset: position.offset, row: parseLineOrThrow(bytes, position.line, log.filePath) };
}
