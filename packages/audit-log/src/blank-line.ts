// Which lines replay skips. Tau skips a line when `line.trim().is_empty()`,
// and Rust's `trim` removes every Unicode White_Space character, so a line of
// only (say) no-break spaces is blank to Tau and must be blank to us too.
// Note U+FEFF is not White_Space (a BOM line is a parse error in Tau), and
// U+0085 is (JavaScript's `\s` has it the other way round, hence the explicit set).
const RUST_WHITESPACE_ONLY = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/u;

/** True when `buf[start, end)` is empty or only whitespace in Rust's `trim` sense. */
export function isBlankAuditLine(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) {
    const byte = buf[i] as number;
    // ASCII White_Space: \t \n \v \f \r and space.
    if (byte === 0x20 || (byte >= 0x09 && byte <= 0x0d)) continue;
    if (byte < 0x80) return false;
    // Rare: non-ASCII bytes; decide on the decoded text (invalid UTF-8 decodes to U+FFFD, not blank).
    return RUST_WHITESPACE_ONLY.test(buf.toString('utf8', i, end));
  }
  return true;
}
