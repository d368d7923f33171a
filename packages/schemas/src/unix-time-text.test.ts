import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unixMsText } from './unix-time-text.js';

describe('unixMsText', () => {
  it.each([
    [0, '1970-01-01T00:00:00.000Z'],
    [1_717_171_600_000, '2024-05-31T16:06:40.000Z'],
    [8.64e15, '+275760-09-13T00:00:00.000Z'],
    [-8.64e15, '-271821-04-20T00:00:00.000Z'],
    [8.64e15 + 1, '8640000000000001 (unix ms, outside the displayable date range)'],
    [-8.64e15 - 1, '-8640000000000001 (unix ms, outside the displayable date range)'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991 (unix ms, outside the displayable date range)'],
    [2 ** 64, '18446744073709552000 (unix ms, outside the displayable date range)'],
    [Number.POSITIVE_INFINITY, 'Infinity (unix ms, outside the displayable date range)'],
    [Number.NaN, 'NaN (unix ms, outside the displayable date range)'],
  ])('%s -> %s', (unixMs, text) => {
    expect(unixMsText(unixMs)).toBe(text);
  });

  it('never throws, for any number', () => {
    fc.assert(fc.property(fc.oneof(fc.double(), fc.integer(), fc.maxSafeInteger()), (unixMs) => typeof unixMsText(unixMs) === 'string'));
  });
});
