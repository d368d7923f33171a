// Rust's `str::trim` strips Unicode White_Space; JavaScript's `trim` differs
// (it strips U+FEFF but keeps U+0085). Principals must compare the way Tau
// compares them, so the set is spelled out here.
const RUST_WHITESPACE = '\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000';
const LEADING_OR_TRAILING_WHITESPACE = new RegExp(`^[${RUST_WHITESPACE}]+|[${RUST_WHITESPACE}]+$`, 'g');

/** Trims whitespace the way Tau (Rust's `str::trim`) does. */
export function trimTauWhitespace(text: string): string {
  return text.replace(LEADING_OR_TRAILING_WHITESPACE, '');
}

/** True when the text is empty or only whitespace, as Tau's `trim().is_empty()` decides. */
export function isBlankForTau(text: string): boolean {
  return trimTauWhitespace(text) === '';
}
