// The bearer token for client mode: from a file (regular files only, read
// with a bound, surrounding blanks trimmed) or from TAU_PO_TOKEN.
import fs from 'node:fs';
import { escapeTerminalText } from '@tau/schemas';
import type { TokenSource } from './client-mode-argv.js';

/** Longer than any token `tau-po token create` prints, shorter than anything that is not a token. */
export const TOKEN_FILE_MAX_BYTES = 4096;

// Visible ASCII only: anything else cannot be an HTTP header value, and a
// second line in the file would be a second secret, not part of this one.
const TOKEN_TEXT = /^[\x21-\x7e]+$/;

/** Checks a token's text (pure); `where` names its source in the error. */
export function validateTokenText(raw: string, where: string): string {
  const token = raw.trim();
  if (token === '') throw new Error(`${where} is empty`);
  if (!TOKEN_TEXT.test(token)) throw new Error(`${where} does not hold one token (only visible ASCII characters, one line)`);
  return token;
}

/** Reads a token file: a regular file of at most TOKEN_FILE_MAX_BYTES. */
export function readTokenFile(filePath: string): string {
  const where = `token file '${escapeTerminalText(filePath)}'`;
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO put in the file's place must not hang the command before fstat refuses it.
    fd = fs.openSync(filePath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (cause) {
    throw new Error(`cannot read ${where}`, { cause });
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new Error(`${where} is not a regular file`);
    if (stat.size > TOKEN_FILE_MAX_BYTES) throw new Error(`${where} is larger than ${TOKEN_FILE_MAX_BYTES} bytes`);
    const buffer = Buffer.alloc(TOKEN_FILE_MAX_BYTES + 1);
    let length = 0;
    for (;;) {
      const read = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      // The file grew after fstat.
      if (length > TOKEN_FILE_MAX_BYTES) throw new Error(`${where} is larger than ${TOKEN_FILE_MAX_BYTES} bytes`);
    }
    return validateTokenText(buffer.subarray(0, length).toString('utf8'), where);
  } finally {
    fs.closeSync(fd);
  }
}

/** The token a source names. */
export function readToken(source: TokenSource): string {
  return source.kind === 'file' ? readTokenFile(source.path) : validateTokenText(source.token, 'TAU_PO_TOKEN');
}
