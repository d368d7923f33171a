import { createHash } from 'node:crypto';

/**
 * SHA-256 (64 lower-case hex digits) of one row's bytes without its line
 * ending (`\n`, or `\r\n`: a CRLF conversion of the file leaves every row's
 * hash, and so the chain, intact). This is the audit chain's link.
 */
export function rowSha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
