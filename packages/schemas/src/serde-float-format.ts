/**
 * Formats a finite f64 the way serde_json does (through the `ryu` crate), so a
 * file we write matches Tau's bytes: `1.0` not `1`, `1e16` not
 * `10000000000000000`, `1e-6` not `0.000001`. JavaScript already finds the same
 * shortest digits; only the layout differs. Non-finite values become `null`,
 * as serde_json writes them.
 */
export function formatF64LikeSerde(value: number): string {
  if (!Number.isFinite(value)) return 'null';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const sign = value < 0 ? '-' : '';
  // toExponential() without an argument gives the shortest round-tripping digits.
  const [mantissa = '', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const length = digits.length;
  const kk = Number(exponentText) + 1; // 10^(kk-1) <= |value| < 10^kk
  const k = kk - length; // exponent of the last digit
  if (k >= 0 && kk <= 16) return `${sign}${digits}${'0'.repeat(k)}.0`;
  if (kk > 0 && kk <= 16) return `${sign}${digits.slice(0, kk)}.${digits.slice(kk)}`;
  if (kk > -5 && kk <= 0) return `${sign}0.${'0'.repeat(-kk)}${digits}`;
  const scientific = length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
  return `${sign}${scientific}e${kk - 1}`;
}
