// Paging `control-audit.jsonl` by row number without loading it: the byte
// offset (and line number) of every 1024th row is recorded once, in one pass,
// and the index is extended from where it stopped as the log grows (it only
// grows by appends). A page seeks to the nearest recorded row before it and
// reads at most 1024 rows more than it returns. Hand-written: no library
// indexes a growing JSON-lines file, and the replay reader of @tau/audit-log
// always starts at the beginning.
import fs from 'node:fs';
import { isBlankAuditLine } from '@tau/audit-log';
import { openRegularFile, parseJsonStrict, type ApiAuditPageRow } from '@tau/schemas';

/** Every this many rows, the index records where a row starts. */
export const AUDIT_INDEX_STRIDE = 1024;
const READ_CHUNK_BYTES = 1 << 20;
const MAX_UNPARSED_CHARS = 4096;

interface RowMark {
  /** Byte offset of the row's first byte. */
  offset: number;
  /** 1-based line number of the row. */
  line: number;
}

/** Which rows a page wants: ascending after a row, descending before one. */
export type AuditPageRequest = { after: number; limit: number } | { before: number; limit: number };

function pageRowOf(bytes: Buffer, row: number, line: number): ApiAuditPageRow {
  const text = bytes.toString('utf8');
  let value: unknown;
  try {
    // Strict: a row with a repeated key is shown unparsed, never with one of its values picked.
    value = parseJsonStrict(text);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { row, line, unparsed: text.slice(0, MAX_UNPARSED_CHARS) };
  }
  // `row` and `line` first; a row's own key of the same name cannot replace them.
  return { ...(value as Record<string, unknown>), row, line };
}

/** The row index of one audit log file. Not thread-safe; one per file per process. */
export class AuditRowIndex {
  private identity: string | undefined;
  private marks: RowMark[] = [];
  /** Bytes indexed: everything before is complete lines. */
  private indexedBytes = 0;
  private rows = 0;
  private lines = 0;

  constructor(readonly filePath: string) {}

  /** Complete, non-blank rows as of the last `refresh`. */
  get totalRows(): number {
    return this.rows;
  }

  private reset(identity: string | undefined): void {
    this.identity = identity;
    this.marks = [];
    this.indexedBytes = 0;
    this.rows = 0;
    this.lines = 0;
  }

  /**
   * Indexes whatever was appended since the last call. A file replaced
   * (another inode) or shorter than indexed (cut) is indexed again from the
   * start. A final line without its newline (an append in progress, or torn)
   * is not a row yet.
   */
  refresh(): void {
    let fd: number;
    try {
      fd = openRegularFile(this.filePath).fd;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.reset(undefined);
        return;
      }
      throw error;
    }
    try {
      const stat = fs.fstatSync(fd);
      const identity = `${stat.dev}:${stat.ino}`;
      if (identity !== this.identity || stat.size < this.indexedBytes) this.reset(identity);
      this.scan(fd, stat.size);
    } finally {
      fs.closeSync(fd);
    }
  }

  private scan(fd: number, size: number): void {
    const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    let carry: Buffer | undefined;
    let position = this.indexedBytes;
    while (position < size) {
      const length = fs.readSync(fd, buffer, 0, Math.min(READ_CHUNK_BYTES, size - position), position);
      if (length === 0) break;
      const chunk: Buffer = carry === undefined ? buffer.subarray(0, length) : Buffer.concat([carry, buffer.subarray(0, length)]);
      const chunkStart = position - (carry?.length ?? 0);
      let lineStart = 0;
      for (let newline = chunk.indexOf(0x0a, lineStart); newline !== -1; newline = chunk.indexOf(0x0a, lineStart)) {
        this.lines += 1;
        if (!isBlankAuditLine(chunk, lineStart, newline)) {
          if (this.rows % AUDIT_INDEX_STRIDE === 0) this.marks.push({ offset: chunkStart + lineStart, line: this.lines });
          this.rows += 1;
        }
        lineStart = newline + 1;
      }
      this.indexedBytes = chunkStart + lineStart;
      // Copied: `buffer` is reused by the next read.
      carry = lineStart < chunk.length ? Buffer.from(chunk.subarray(lineStart)) : undefined;
      position += length;
    }
  }

  /** Rows `first..last` (1-based, inclusive, within the indexed rows), ascending. */
  private readRows(first: number, last: number): ApiAuditPageRow[] {
    if (first > last) return [];
    const mark = this.marks[Math.floor((first - 1) / AUDIT_INDEX_STRIDE)]!;
    const rows: ApiAuditPageRow[] = [];
    const fd = openRegularFile(this.filePath).fd;
    try {
      const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
      let row = Math.floor((first - 1) / AUDIT_INDEX_STRIDE) * AUDIT_INDEX_STRIDE;
      let line = mark.line - 1;
      let position = mark.offset;
      let carry: Buffer | undefined;
      while (position < this.indexedBytes && row < last) {
        const length = fs.readSync(fd, buffer, 0, Math.min(READ_CHUNK_BYTES, this.indexedBytes - position), position);
        if (length === 0) break;
        const chunk: Buffer = carry === undefined ? buffer.subarray(0, length) : Buffer.concat([carry, buffer.subarray(0, length)]);
        let lineStart = 0;
        for (let newline = chunk.indexOf(0x0a, lineStart); newline !== -1 && row < last; newline = chunk.indexOf(0x0a, lineStart)) {
          line += 1;
          if (!isBlankAuditLine(chunk, lineStart, newline)) {
            row += 1;
            if (row >= first) rows.push(pageRowOf(chunk.subarray(lineStart, newline), row, line));
          }
          lineStart = newline + 1;
        }
        carry = lineStart < chunk.length ? Buffer.from(chunk.subarray(lineStart)) : undefined;
        position += length;
      }
    } finally {
      fs.closeSync(fd);
    }
    return rows;
  }

  /**
   * One page, after refreshing the index: rows with number > `after`
   * ascending, or rows with number < `before` descending.
   */
  page(request: AuditPageRequest): { total_rows: number; rows: ApiAuditPageRow[] } {
    this.refresh();
    const total = this.rows;
    if ('after' in request) {
      const first = request.after + 1;
      return { total_rows: total, rows: this.readRows(first, Math.min(total, request.after + request.limit)) };
    }
    const last = Math.min(total, request.before - 1);
    const first = Math.max(1, last - request.limit + 1);
    return { total_rows: total, rows: this.readRows(first, last).reverse() };
  }
}
