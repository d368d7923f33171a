import { describe, expect, it } from 'vitest';
import { formatErrorChain } from './error-chain.js';

describe('formatErrorChain', () => {
  it('joins each message of the cause chain with ": "', () => {
    const error = new Error('failed to parse training control state \'/s\'', {
      cause: new Error('field `x`', { cause: new Error('innermost') }),
    });
    expect(formatErrorChain(error)).toBe("failed to parse training control state '/s': field `x`: innermost");
  });

  it('prints a non-Error cause as text and a non-Error value as itself', () => {
    expect(formatErrorChain(new Error('outer', { cause: 'plain string' }))).toBe('outer: plain string');
    expect(formatErrorChain(42)).toBe('42');
  });

  it('skips empty messages and stops at a cycle', () => {
    const a = new Error('a');
    const b = new Error('', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(formatErrorChain(a)).toBe('a');
  });
});
