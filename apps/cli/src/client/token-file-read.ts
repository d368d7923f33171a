// The bearer token for client mode: from a file (regular files only, read
// with a bound by @tau/schemas' readRegularFile, surrounding blanks trimmed)
// or from TAU_PO_TOKEN.
import { escapeTerminalText, readRegularFile } from '@tau/schemas';
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

/** Reads a token file: a regular file of at most TOKEN_FILE_MAX_BYTES (the project's one bounded reader). */
export function readTokenFile(filePath: string): string {
  const where = `token file '${escapeTerminalText(filePath)}'`;
  let bytes: Buffer;
  try {
    bytes = readRegularFile(filePath, { maxBytes: TOKEN_FILE_MAX_BYTES });
  } catch (cause) {
    throw new Error(`cannot read ${where}`, { cause });
  }
  return validateTokenText(bytes.toString('utf8'), where);
}

/** The token a source names. */
export function readToken(source: TokenSource): string {
  return source.kind === 'file' ? readTokenFile(source.path) : validateTokenText(source.token, 'TAU_PO_TOKEN');
}
