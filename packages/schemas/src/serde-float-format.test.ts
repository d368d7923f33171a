import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatF64LikeSerde } from './serde-float-format.js';

describe('formatF64LikeSerde', () => {
  // Expected strings are what serde_json (ryu 1.x) writes for these f64 values.
  it.each([
    [1, '1.0'],
    [0, '0.0'],
    [-0, '-0.0'],
    [0.1, '0.1'],
    [-2.5, '-2.5'],
    [123.456, '123.456'],
    [1e15, '1000000000000000.0'],
    [1e16, '1e16'],
    [1.5e16, '1.5e16'],
    [123456789012345680, '1.2345678901234568e17'],
    [0.0001, '0.0001'],
    [0.00001, '0.00001'],
    [0.000012, '0.000012'],
    [0.000001, '1e-6'],
    [1.25e-7, '1.25e-7'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e308'],
    [Number.NaN, 'null'],
    [Number.POSITIVE_INFINITY, 'null'],
  ])('writes %d as %s', (value, expected) => {
    expect(formatF64LikeSerde(value)).toBe(expected);
  });

  it('always reads back as the same number and always looks like a float', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = formatF64LikeSerde(value);
        expect(Object.is(Number(text), value)).toBe(true);
        expect(text).toMatch(/[.e]/);
      }),
      { numRuns: 500 },
    );
  });
});
