import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareByCodePoint } from './code-point-order.js';

describe('compareByCodePoint', () => {
  it('puts astral characters after U+E000..U+FFFF, as UTF-8 byte order does', () => {
    expect(['\u{1F600}', '\uFF5A', 'a'].sort(compareByCodePoint)).toEqual(['a', '\uFF5A', '\u{1F600}']);
  });

  it('orders a prefix first', () => {
    expect(compareByCodePoint('ops', 'ops-admin')).toBeLessThan(0);
    expect(compareByCodePoint('ops', 'ops')).toBe(0);
  });

  it('agrees with UTF-8 byte order on any strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (left, right) => {
        const expected = Math.sign(Buffer.compare(Buffer.from(left, 'utf8'), Buffer.from(right, 'utf8')));
        expect(Math.sign(compareByCodePoint(left, right))).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
