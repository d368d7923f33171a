// Splits an audit log into lines with chunked reads into one reused buffer, so
// memory stays flat in file length (it grows only to hold the longest line).
// Lines end at `\n`; a `\r` right before it is dropped too, as Rust's
// `str::lines` (Tau's reader) does. Bytes after the last `\n` are a torn tail.
import fs from 'node:fs';
import { openRegularFile } from '@tau/schemas';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
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

  constructor(
    private readonly fd: number,
    chunkBytes = DEFAULT_CHUNK_BYTES,
    range?: AuditLogRange,
  ) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
    this.view = this.buf.subarray(0, 0);
    this.readOffset = range?.start ?? 0;
    this.bufFileOffset = this.readOffset;
    this.lineNumber = range?.lineBase ?? 0;
    this.readEnd = range?.end ?? Number.POSITIVE_INFINITY;
  }

  /** Advances to the next complete line; false at the end of the file. */
  next(): boolean {
    for (;;) {
      const newline = this.view.indexOf(NEWLINE, this.searchFrom);
      if (newline >= 0) {
        const start = this.pos;
        this.start = start;
        this.end = newline > start && this.buf[newline - 1] === CARRIAGE_RETURN ? newline - 1 : newline;
        this.offset = this.bufFileOffset + start;
        this.lineNumber += 1;
        this.pos = newline + 1;
        this.searchFrom = this.pos;
        return true;
      }
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

/**
 * Opens `filePath` for reading (non-blocking, a regular file only: a FIFO or
 * device there is `NotRegularFileError`); undefined when it does not exist (an empty log).
 */
export function openAuditLogIfPresent(filePath: string): number | undefined {
  try {
    return openRegularFile(filePath).fd;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
