import os from 'node:os';
import type { AuditChainFold } from './audit-chain-fold.js';
import { AuditLineParseError, AuditLogReadError } from './audit-log-errors.js';
import type { AuditLogRange, AuditTornTail } from './audit-log-lines.js';
import { AuditLogReader } from './audit-log-reader.js';
import { linkedRunAt, type AuditLinkedRun, type AuditRangeFirstRow, type AuditRangeInput, type AuditRangeSummary } from './audit-range-summary.js';
import { rangeScanInProcess, rangeWorkerPath, startRangeScanInWorker, type PendingRangeScan } from './audit-range-runner.js';
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

/** How a replay may split the log across threads (tests pick the split; defaults otherwise). */
export interface AuditReplaySplit {
  /** Byte offsets to split at (each moves on to just after the next `\n`). Default: even ranges, one per core (at most 4). */
  at?: number[];
  /** Logs smaller than this are replayed on one thread (default 32 MiB). */
  minBytes?: number;
  /** `worker`: worker threads (the default, when the built worker exists); `in-process`: each range summarized on this thread, in turn (tests). */
  runner?: 'worker' | 'in-process';
}

/** Below this a log is replayed on one thread: starting a worker costs about what scanning 10 MB does. */
const DEFAULT_PARALLEL_MIN_BYTES = 32 << 20;
const MAX_RANGES = 4;

/** The replay's row-by-row walk: feeds both folds and keeps what `finish` needs. */
class AuditRowWalk {
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

  /** Walks every line `log` holds (all of it, or its range); returns the torn tail, if any. */
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

  /** A range's first row, scanned elsewhere: exactly what `walk` does with it. */
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

  /** The rest of the range (lines absolute). */
  addLinkedRun(run: AuditLinkedRun): void {
    this.fold.addLinkedRun(run);
    this.chainFold?.addLinkedRun(run);
    if (run.lastMutating !== null) this.noteMutating(run.lastMutating.line, run.lastMutating.offset, run.lastMutating.length);
    this.lastRowLine = run.lastLine;
    this.lastRowOffset = run.lastOffset;
    this.lastRowLength = run.lastByteLength;
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
    const ranges = Math.min(MAX_RANGES, os.availableParallelism());
    wanted = Array.from({ length: ranges - 1 }, (_, index) => Math.floor((size * (index + 1)) / ranges));
  }
  const offsets: number[] = [];
  for (const target of wanted) {
    const from = Math.max(target, offsets.at(-1) ?? 0);
    const after = nextLineStart(log, from, size);
    if (after > (offsets.at(-1) ?? 0) && after < size) offsets.push(after);
  }
  return offsets;
}

/** The offset right after the first `\n` at or after `from`; `size` when there is none. */
function nextLineStart(log: AuditLogReader, from: number, size: number): number {
  const probe = 64 * 1024;
  for (let offset = from; offset < size; offset += probe) {
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
 * A long log is split into byte ranges at line starts: this thread walks the
 * first while worker threads scan the others (`AuditRangeSummary`), and their
 * summaries are folded in in log order. A range that is anything but plain
 * (a malformed or declined line, an unchained row, a broken link, a warning)
 * is walked here row by row, from its start on, so results and errors are the
 * sequential ones whatever the split.
 */
export function replayAuditLog(filePath: string, options: AuditReplayOptions = {}, split?: AuditReplaySplit): AuditReplay {
  const collectActions = options.collectActions ?? true;
  const fold = new AuditReplayFold(collectActions);
  const chainFold = options.chainFold;
  const walk = new AuditRowWalk(fold, chainFold, filePath);
  const whole = AuditLogReader.open(filePath);
  if (whole === undefined) return fold.finish({ torn_tail: null, last_row_sha256: null, last_mutating_row: null });
  const pending: PendingRangeScan[] = [];
  try {
    const size = whole.size();
    const offsets = splitOffsets(whole, size, split);
    const workerPath = split?.runner === 'in-process' ? undefined : rangeWorkerPath();
    if (offsets.length > 0 && workerPath === undefined && split?.runner !== 'in-process') offsets.length = 0;
    offsets.forEach((start, index) => {
      const input: AuditRangeInput = {
        filePath,
        start,
        end: offsets[index + 1] ?? null,
        collectActions,
        expectedHeadSha256: chainFold?.expectedHeadSha256 ?? null,
        checkChain: chainFold !== undefined,
      };
      pending.push(workerPath === undefined ? rangeScanInProcess(input) : startRangeScanInWorker(workerPath, input));
    });
    let tornTail: AuditTornTail | null;
    if (offsets.length === 0) {
      tornTail = walk.walk(whole);
    } else {
      let lineBase = walkRange(walk, filePath, { start: 0, end: offsets[0], lineBase: 0 }).lineNumber;
      tornTail = null;
      for (const [index, scan] of pending.entries()) {
        const start = offsets[index] as number;
        const summary = scan.wait();
        // An unterminated line can only end the last range (another means the file shrank meanwhile).
        const tornTooEarly = summary !== null && summary.tornTail !== null && index < pending.length - 1;
        if (summary === null || tornTooEarly || !canFoldIn(walk, summary, lineBase)) {
          // From here on, row by row (exact whatever the range held).
          for (const rest of pending.slice(index + 1)) rest.cancel();
          tornTail = walkRange(walk, filePath, { start, end: undefined, lineBase }).tornTail;
          break;
        }
        if (summary.first !== null) walk.addFirstRow(summary.first, lineBase);
        if (summary.run !== null) walk.addLinkedRun(linkedRunAt(summary.run, lineBase));
        tornTail = summary.tornTail === null ? null : { ...summary.tornTail, line: summary.tornTail.line + lineBase };
        lineBase += summary.lineCount;
      }
    }
    return fold.finish({
      torn_tail: tornTail,
      last_row_sha256: walk.lastRowLine === 0 ? null : rowSha256Hex(whole.readBytesAt(walk.lastRowOffset, walk.lastRowLength)),
      last_mutating_row: walk.lastMutating === undefined ? null : readMutatingRow(whole, walk.lastMutating),
    });
  } finally {
    for (const scan of pending) scan.cancel();
    whole.close();
  }
}

/** Walks one range of the log row by row; the line number it ended at, and its torn tail. */
function walkRange(walk: AuditRowWalk, filePath: string, range: AuditLogRange): { lineNumber: number; tornTail: AuditTornTail | null } {
  const log = AuditLogReader.open(filePath, range);
  // Gone since it was opened whole: its rows from here on cannot be read.
  if (log === undefined) throw new AuditLogReadError(filePath, { cause: new Error('the file was removed while being replayed') });
  try {
    const tornTail = walk.walk(log);
    return { lineNumber: log.lines.lineNumber, tornTail };
  } finally {
    log.close();
  }
}

/** Whether a range's summary can stand for walking its rows, right where the walk is now. */
function canFoldIn(walk: AuditRowWalk, summary: AuditRangeSummary, lineBase: number): boolean {
  if (!summary.clean) return false;
  if (summary.run === null || walk.chainFold === undefined) return true;
  return walk.chainFold.canAddLinkedRun(linkedRunAt(summary.run, lineBase), summary.first === null ? 0 : 1);
}

function readMutatingRow(log: AuditLogReader, position: RowPosition): AuditMutatingRow {
  const bytes = log.readBytesAt(position.offset, position.length);
  return { line: position.line, offset: position.offset, row: parseLineOrThrow(bytes, position.line, log.filePath) };
}
