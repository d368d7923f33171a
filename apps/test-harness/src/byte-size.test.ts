import { describe, expect, it } from 'vitest';
import { parseByteSize } from './byte-size.js';

describe('parseByteSize', () => {
  it('reads decimal and binary units', () => {
    expect(parseByteSize('300MB')).toBe(300_000_000);
    expect(parseByteSize('1GB')).toBe(1_000_000_000);
    expect(parseByteSize('64KiB')).toBe(65_536);
    expect(parseByteSize('1.5 mb')).toBe(1_500_000);
    expect(parseByteSize('4096')).toBe(4096);
  });
  it('rejects nonsense', () => {
    for (const bad of ['', 'MB', '10XB', '-1MB', '0']) expect(() => parseByteSize(bad)).toThrow(/size/);
  });
});
