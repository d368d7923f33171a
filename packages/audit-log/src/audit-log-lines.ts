// Splits an audit log into lines with chunked reads into one reused buffer, so
// memory stays flat in file length (it grows only to hold the longest line).
// Lines end at `\n`; a `\r` right before it is dropped too, as Rust's
// `str::lines` (Tau's reader) does. Bytes after the last `\n` are a torn tail.
import fs from 'node:fs';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
/** Positions in a batch are 32-bit integers. */
const MAX_BATCH_BUFFER_BYTES = 0x7fffffff;
/** Read size; large enough that syscalls cost nothing next to scanning. */
const DEFAULT_CHUNK_BYTES = 1 << 20;

/** A final line without its `\n`: the torn write of a crashed append. */
export interface AuditTornTail {
  /** 1-based line number the torn line would have. */
  line: number;
  /** Byte offset of its first byte in the file. */
  offset: number;
  byte_length: number;
}

/**
 * A byte range of the file to walk (a parallel replay splits a log right
 * after `\n` bytes): lines from `start` up to `end` (exclusive; undefined:
 * the end of the file), numbered on from `lineBase` (the lines before `start`).
 */
export interface AuditLogRange {
  start: number;
  end: number | undefined;
  lineBase: number;
}

/** Where `AuditLogLines.nextBatch` puts the lines it advanced over: their ranges in `buf`, file offsets, first line number. */
export class AuditLineBatch {
  // Int32 (small integers to V8 all the way: a double here made the scanning code deoptimize); a buffer past
  // 2 GiB (one line longer than 1 GiB) is refused by `nextBatch`, and its reader walks that range line by line.
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly offsets: Float64Array;
  /** Lines in the batch now. */
  count = 0;
  firstLine = 0;

  constructor(readonly capacity: number) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.offsets = new Float64Array(capacity);
  }
}

/**
 * A cursor over the lines of an open file (or of a range of it). After
 * `next()` returns true, `buf[start, end)` holds the current line without its
 * line ending; the bytes stay valid until the following `next()`.
 */
export class AuditLogLines {
  buf: Buffer;
  start = 0;
  end = 0;
  /** File offset of the current line's first byte. */
  offset = 0;
  /** 1-based number of the current line, blank lines counted. */
  lineNumber = 0;
  /** Set once `next()` has returned false, when the file ends without `\n`. */
  tornTail: AuditTornTail | null = null;

  private view: Buffer;
  private pos = 0;
  private dataEnd = 0;
  private searchFrom = 0;
  /** File offset of `buf[0]`. */
  private bufFileOffset = 0;
  private readOffset = 0;
  private eof = false;
  /** Where reading stops (exclusive); Infinity: the end of the file. */
  private readonly readEnd: number;

  /** `buffer`: one to read into (a scan of many ranges reuses one); by default a new one of `chunkBytes`. */
  constructor(
    private readonly fd: number,
    chunkBytes = DEFAULT_CHUNK_BYTES,
    range?: AuditLogRange,
    buffer?: Buffer,
  ) {
    this.buf = buffer ?? Buffer.allocUnsafe(chunkBytes);
    this.view = this.buf.subarray(0, 0);
    this.readOffset = range?.start ?? 0;
    this.bufFileOffset = this.readOffset;
    this.lineNumber = range?.lineBase ?? 0;
    this.readEnd = range?.end ?? Number.POSITIVE_INFINITY;
  }

  /** Advances to the next complete line; false at the end of the file. */
  next(): boolean {
    for (;;) {
      if (this.nextInBuffer()) return true;
      if (this.eof) {
        if (this.pos < this.dataEnd) {
          this.tornTail = {
            line: this.lineNumber + 1,
            offset: this.bufFileOffset + this.pos,
            byte_length: this.dataEnd - this.pos,
          };
          this.pos = this.dataEnd;
        }
        return false;
      }
      this.refill();
    }
  }

  /**
   * Advances over up to `batch.capacity` complete lines at once: those the
   * buffer holds (it is refilled only when it holds none). Returns how many
   * (0 at the end of the file); `batch` has their ranges in `buf`, valid until
   * the next call, and `lineNumber` is the last one's. A scan that hashes
   * every row hashes a batch, then scans it: each loop stays hot in the caches.
   */
  nextBatch(batch: AuditLineBatch): number {
    if (!this.next()) {
      batch.count = 0;
      return 0;
    }
    if (this.buf.length > MAX_BATCH_BUFFER_BYTES) throw new RangeError(`a line of over ${MAX_BATCH_BUFFER_BYTES >> 30} GiB cannot be batched`);
    let count = 0;
    do {
      batch.starts[count] = this.start;
      batch.ends[count] = this.end;
      batch.offsets[count] = this.offset;
      count += 1;
    } while (count < batch.capacity && this.nextInBuffer());
    batch.firstLine = this.lineNumber - count + 1;
    batch.count = count;
    return count;
  }

  /** Advances to the next line when the buffer holds all of it; false otherwise (nothing moves). */
  private nextInBuffer(): boolean {
    const newline = this.view.indexOf(NEWLINE, this.searchFrom);
    if (newline < 0) return false;
    const start = this.pos;
    this.start = start;
    this.end = newline > start && this.buf[newline - 1] === CARRIAGE_RETURN ? newline - 1 : newline;
    this.offset = this.bufFileOffset + start;
    this.lineNumber += 1;
    this.pos = newline + 1;
    this.searchFrom = this.pos;
    return true;
  }

  private refill(): void {
    const pending = this.dataEnd - this.pos;
    if (this.pos > 0) {
      this.buf.copyWithin(0, this.pos, this.dataEnd);
      this.bufFileOffset += this.pos;
      this.pos = 0;
      this.dataEnd = pending;
    }
    if (this.dataEnd === this.buf.length) {
      // One line longer than the buffer: grow (doubling keeps the copies linear).
      const grown = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(grown, 0, 0, this.dataEnd);
      this.buf = grown;
    }
    this.searchFrom = this.dataEnd;
    const want = Math.min(this.buf.length - this.dataEnd, this.readEnd - this.readOffset);
    const bytesRead = want <= 0 ? 0 : fs.readSync(this.fd, this.buf, this.dataEnd, want, this.readOffset);
    if (bytesRead === 0) this.eof = true;
    this.readOffset += bytesRead;
    this.dataEnd += bytesRead;
    this.view = this.buf.subarray(0, this.dataEnd);
  }
}
