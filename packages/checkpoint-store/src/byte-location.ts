import fs from 'node:fs';

/** A 1-based line and column (in bytes) of a byte offset in a text. */
export interface ByteLocation {
  readonly line: number;
  readonly column: number;
}

const NEWLINE = 0x0a;

/** Line and column of `offset` in `bytes`. */
export function locateOffsetInBytes(bytes: Uint8Array, offset: number): ByteLocation {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, bytes.length);
  for (let at = bytes.indexOf(NEWLINE); at !== -1 && at < end; at = bytes.indexOf(NEWLINE, at + 1)) {
    line += 1;
    lineStart = at + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Line and column of `offset` in an open file, read in chunks (only when reporting an error). */
export function locateOffsetInFile(fd: number, offset: number, chunkBytes: number): ByteLocation {
  const chunk = Buffer.allocUnsafe(chunkBytes);
  let line = 1;
  let lineStart = 0;
  for (let position = 0; position < offset;) {
    const read = fs.readSync(fd, chunk, 0, Math.min(chunkBytes, offset - position), position);
    if (read === 0) break;
    const view = chunk.subarray(0, read);
    for (let at = view.indexOf(NEWLINE); at !== -1; at = view.indexOf(NEWLINE, at + 1)) {
      line += 1;
      lineStart = position + at + 1;
    }
    position += read;
  }
  return { line, column: offset - lineStart + 1 };
}
