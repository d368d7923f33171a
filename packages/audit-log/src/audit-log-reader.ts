import fs from 'node:fs';
import { AuditLogReadError } from './audit-log-errors.js';
import { AuditLogLines, openAuditLogIfPresent, type AuditLogRange } from './audit-log-lines.js';
import { readBytesAt } from './read-bytes-at.js';

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
    private readonly fd: number,
    range?: AuditLogRange,
  ) {
    this.lines = new AuditLogLines(fd, undefined, range);
  }

  /** Opens `filePath` (only `range` of it, when given); undefined when it does not exist (an empty log). */
  static open(filePath: string, range?: AuditLogRange): AuditLogReader | undefined {
    let fd: number | undefined;
    try {
      fd = openAuditLogIfPresent(filePath);
    } catch (cause) {
      throw new AuditLogReadError(filePath, { cause });
    }
    return fd === undefined ? undefined : new AuditLogReader(filePath, fd, range);
  }

  /** Advances `lines` to the next complete line; false at the end of the file. */
  next(): boolean {
    try {
      return this.lines.next();
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

  close(): void {
    fs.closeSync(this.fd);
  }
}
