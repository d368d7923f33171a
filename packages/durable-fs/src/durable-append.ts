import fs from 'node:fs';
import path from 'node:path';
import { countedFsync, countedWrite } from './durable-operation.js';
import { DurableFsError } from './durable-fs-error.js';
import { fsyncDirectory } from './directory.js';
import { assertWriteTarget } from './write-target.js';

const NEWLINE = 0x0a;

function lineBytes(line: string | Uint8Array): Uint8Array {
  const bytes = typeof line === 'string' ? Buffer.from(line, 'utf8') : line;
  const body = bytes[bytes.length - 1] === NEWLINE ? bytes.subarray(0, bytes.length - 1) : bytes;
  if (body.includes(NEWLINE)) throw new Error('a line must not contain a newline before its end');
  return bytes[bytes.length - 1] === NEWLINE ? bytes : Buffer.concat([bytes, Buffer.from([NEWLINE])]);
}

function openForAppend(filePath: string): { fd: number; created: boolean } {
  const { O_WRONLY, O_APPEND, O_CREAT, O_EXCL } = fs.constants;
  if (assertWriteTarget(filePath).entry === 'absent') {
    try {
      return { fd: fs.openSync(filePath, O_WRONLY | O_APPEND | O_CREAT | O_EXCL, 0o666), created: true };
    } catch (error) {
      // Created by someone else since the check: append to it like any existing file.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  // No O_CREAT: a symlink that dangles by now fails instead of creating the file it names.
  // O_NONBLOCK: opening a FIFO for writing must fail (ENXIO) or return, never wait for a reader.
  let fd: number;
  try {
    fd = fs.openSync(filePath, O_WRONLY | O_APPEND | fs.constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENXIO') throw new Error('it is a FIFO or socket, not a regular file', { cause: error });
    throw error;
  }
  if (!fs.fstatSync(fd).isFile()) {
    fs.closeSync(fd);
    throw new Error('it is no longer a regular file');
  }
  return { fd, created: false };
}

/**
 * Appends one line (a `\n` is added unless it already ends with one) with a
 * single write(2) of the whole line, then fsyncs the file, and the directory
 * too when the file was created. A crash can leave only a prefix of this line
 * at the end of the file (a torn tail), never damage earlier lines. Like
 * `replaceFileAtomically`, a symlink to a regular file is followed, and a
 * dangling symlink, a directory or any other non-regular file is refused
 * before anything is written.
 */
export function appendLineDurably(filePath: string, line: string | Uint8Array): void {
  try {
    const bytes = lineBytes(line);
    const { fd, created } = openForAppend(filePath);
    try {
      countedWrite(fd, bytes, 'append', filePath);
      countedFsync(fd, filePath);
    } finally {
      fs.closeSync(fd);
    }
    if (created) fsyncDirectory(path.dirname(filePath));
  } catch (cause) {
    throw new DurableFsError(`append line to ${filePath}`, { cause });
  }
}
