import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as z from 'zod/mini';
import { u64Schema } from './u64.js';

function messageFor(value: unknown): string {
  const result = u64Schema.safeParse(value);
  expect(result.success).toBe(false);
  return result.error?.issues[0]?.message ?? '';
}

describe('u64Schema', () => {
  it('accepts 0 and 2^53-1', () => {
    expect(u64Schema.parse(0)).toBe(0);
    expect(u64Schema.parse(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('says a value above 2^53-1 exceeds it instead of rounding', () => {
    expect(messageFor(2 ** 53)).toBe('integer 9007199254740992 exceeds 2^53-1 (9007199254740991)');
    expect(messageFor(1e300)).toBe('integer 1e+300 exceeds 2^53-1 (9007199254740991)');
  });

  it.each([
    [-1, 'expected a non-negative integer, got -1'],
    [1.5, 'expected a non-negative integer, got 1.5'],
    ['7', 'expected a non-negative integer, got "7"'],
    [null, 'expected a non-negative integer, got null'],
    [Number.POSITIVE_INFINITY, 'expected a non-negative integer, got Infinity'],
    [undefined, 'missing required field (expected a non-negative integer)'],
  ])('rejects %s', (value, message) => {
    expect(messageFor(value)).toBe(message);
  });

  it('infers to number', () => {
    // Checked by `pnpm typecheck`, which compiles the tests.
    expectTypeOf<z.infer<typeof u64Schema>>().toEqualTypeOf<number>();
  });
});
