import fs from 'node:fs';
import { AuditLogReadError } from './audit-log-errors.js';
import { AuditLogLines, type AuditLineBatch, type AuditLogRange } from './audit-log-lines.js';
import { readBytesAt } from './read-bytes-at.js';

/** A file's device and inode numbers, as decimal text (plain data: posted to worker threads). */
export interface AuditLogFileIdentity {
  dev: string;
  ino: string;
}

/**
 * An audit log open for one streaming scan: its lines, and reading back rows
 * found earlier, with every OS failure thrown as `AuditLogReadError` naming
 * the file. The scanning loop owns it and must `close()` it.
 */
export class AuditLogReader {
  /** The line cursor; advance it with `next()`, not `lines.next()`. */
  readonly lines: AuditLogLines;

  private constructor(
    readonly filePath: string,
    /** The open descriptor (closed by `close()` unless the reader was made by `range`). */
    readonly fd: number,
    range: AuditLogRange | undefined,
    private readonly ownsFd: boolean,
    buffer?: Buffer,
  ) {
    this.lines = new AuditLogLines(fd, undefined, range, buffer);
  }

  /**
   * A reader over `fd`, already open on `filePath` (only `range` of it, when
   * given); it owns the descriptor. `openAuditLogReader` opens one by path.
   * `buffer`: one to read into (see `AuditLogLines`).
   */
  static over(filePath: string, fd: number, range?: AuditLogRange, buffer?: Buffer): AuditLogReader {
    return new AuditLogReader(filePath, fd, range, true, buffer);
  }

  /** Another reader over `range` of the same open file (it shares the descriptor: this reader keeps owning it). */
  range(range: AuditLogRange): AuditLogReader {
    return new AuditLogReader(this.filePath, this.fd, range, false);
  }

  /** Advances `lines` to the next complete line; false at the end of the file. */
  next(): boolean {
    try {
      return this.lines.next();
    } catch (cause) {
      throw new AuditLogReadError(this.filePath, { cause });
    }
  }

  /** Advances `lines` over a batch of lines (`AuditLogLines.nextBatch`); 0 at the end of the file. */
  nextBatch(batch: AuditLineBatch): number {
    try {
      return this.lines.nextBatch(batch);
    } catch (cause) {
      throw new AuditLogReadError(this.filePath, { cause });
    }
  }

  /** Reads `length` bytes at `offset` (a row found earlier in the scan). */
  readBytesAt(offset: number, length: number): Buffer {
    try {
      return readBytesAt(this.fd, offset, length);
    } catch (cause) {
      throw new AuditLogReadError(this.filePath, { cause });
    }
  }

  /** The file's size now, in bytes. */
  size(): number {
    try {
      return fs.fstatSync(this.fd).size;
    } catch (cause) {
      throw new AuditLogReadError(this.filePath, { cause });
    }
  }

  /** Which file this is (device and inode, exact as decimal text): a worker opening the path again checks it is the same file. */
  identity(): AuditLogFileIdentity {
    try {
      const stat = fs.fstatSync(this.fd, { bigint: true });
      return { dev: stat.dev.toString(), ino: stat.ino.toString() };
    } catch (cause) {
      throw new AuditLogReadError(this.filePath, { cause });
    }
  }

  close(): void {
    if (this.ownsFd) fs.closeSync(this.fd);
  }
}
