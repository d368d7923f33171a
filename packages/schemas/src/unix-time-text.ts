// Timestamps come from files anyone may have edited: a valid integer can lie
// outside what `Date` can show (|ms| > 8.64e15), where `toISOString` throws
// `Invalid time value`. Text output shows such a value as the raw number with
// a note instead of failing.

/** Date's limit: 100,000,000 days either side of the epoch, in milliseconds. */
const MAX_DATE_MS = 8.64e15;

/**
 * A Unix-milliseconds timestamp as ISO 8601 UTC text, or, when `Date` cannot
 * represent it (out of range, not finite), the raw number followed by
 * `(unix ms, outside the displayable date range)`. Pure; never throws.
 */
export function unixMsText(unixMs: number): string {
  if (Number.isFinite(unixMs) && Math.abs(unixMs) <= MAX_DATE_MS) return new Date(unixMs).toISOString();
  return `${String(unixMs)} (unix ms, outside the displayable date range)`;
}
