// Finds where the last complete line of an append-only log ends by reading
// backwards from the end, so repair and append never scan the whole file.
import fs from 'node:fs';
import { readBytesAt } from './read-bytes-at.js';

const NEWLINE = 0x0a;
const BACKWARD_CHUNK_BYTES = 64 * 1024;

/** The file's size and the offset just past its last `\n` (0 when it has none). */
export interface LogTailPosition {
  size: number;
  completeLength: number;
}

/** Locates the end of the last complete line of the file open as `fd`. */
export function locateLogTail(fd: number): LogTailPosition {
  const size = fs.fstatSync(fd).size;
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - BACKWARD_CHUNK_BYTES);
    const newline = readBytesAt(fd, start, end - start).lastIndexOf(NEWLINE);
    if (newline >= 0) return { size, completeLength: start + newline + 1 };
    end = start;
  }
  return { size, completeLength: 0 };
}
