import { describe, expect, it } from 'vitest';
import { binEntryOf } from './tau-po-binary.js';

describe('binEntryOf', () => {
  it('reads an object or string bin', () => {
    expect(binEntryOf({ bin: { 'tau-po': './dist/tau-po' } })).toBe('./dist/tau-po');
    expect(binEntryOf({ bin: './dist/tau-po.js' })).toBe('./dist/tau-po.js');
    expect(binEntryOf({ bin: { other: 'x' } })).toBeUndefined();
  });
});
