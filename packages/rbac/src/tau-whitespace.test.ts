import { describe, expect, it } from 'vitest';
import { isBlankForTau, trimTauWhitespace } from './tau-whitespace.js';

describe('Tau whitespace', () => {
  it('trims what Rust trims, including NEL and ideographic space', () => {
    expect(trimTauWhitespace('\u0085\u3000\t ops \r\n\u2029')).toBe('ops');
  });

  it('keeps a BOM, which Rust does not treat as whitespace', () => {
    expect(trimTauWhitespace('\uFEFFops')).toBe('\uFEFFops');
    expect(isBlankForTau('\uFEFF')).toBe(false);
  });

  it('keeps inner whitespace', () => {
    expect(trimTauWhitespace('  a  b  ')).toBe('a  b');
  });

  it('calls empty and whitespace-only text blank', () => {
    expect(isBlankForTau('')).toBe(true);
    expect(isBlankForTau(' \u00a0\u2003')).toBe(true);
    expect(isBlankForTau(' x ')).toBe(false);
  });
});
