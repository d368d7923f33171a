import { describe, expect, it } from 'vitest';
import { isBlankAuditLine } from './blank-line.js';

function blank(text: string | Buffer): boolean {
  const buf = typeof text === 'string' ? Buffer.from(text) : text;
  return isBlankAuditLine(buf, 0, buf.length);
}

describe('isBlankAuditLine', () => {
  it("treats Rust's trim whitespace as blank, nothing else", () => {
    expect(blank('')).toBe(true);
    expect(blank(' \t\r\v\f')).toBe(true);
    expect(blank('\u00a0\u2003\u3000\u0085')).toBe(true);
    // A BOM is not whitespace in Rust (nor for us): such a line is a parse error.
    expect(blank('\uFEFF')).toBe(false);
    expect(blank(' x ')).toBe(false);
    expect(blank(Buffer.from([0x20, 0xff]))).toBe(false);
  });

  it('looks only at the given range', () => {
    const buf = Buffer.from('x  y');
    expect(isBlankAuditLine(buf, 1, 3)).toBe(true);
    expect(isBlankAuditLine(buf, 0, 3)).toBe(false);
  });
});
