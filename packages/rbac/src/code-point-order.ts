/**
 * Orders strings by Unicode code point, which is how Rust orders `String`s
 * (byte-wise UTF-8). JavaScript's default sort compares UTF-16 code units and
 * puts astral characters (surrogate pairs) before U+E000..U+FFFF; Tau's
 * "roles sorted by name" must not depend on that.
 */
export function compareByCodePoint(left: string, right: string): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index += 1) {
    const l = left.charCodeAt(index);
    const r = right.charCodeAt(index);
    if (l !== r) return codePointRank(l) - codePointRank(r);
  }
  return left.length - right.length;
}

// Surrogates (U+D800..U+DFFF) encode code points above U+FFFF, so they rank
// after every other code unit; U+E000..U+FFFF move down to close the gap.
function codePointRank(codeUnit: number): number {
  if (codeUnit >= 0xd800 && codeUnit <= 0xdfff) return codeUnit + 0x2000;
  if (codeUnit >= 0xe000) return codeUnit - 0x800;
  return codeUnit;
}
