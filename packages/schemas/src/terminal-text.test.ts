import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeTerminalText } from './terminal-text.js';

// Every character that must never reach a terminal raw.
const UNSAFE_CODES = [
  ...Array.from({ length: 0x20 }, (_, code) => code),
  ...Array.from({ length: 0x21 }, (_, offset) => 0x7f + offset),
  0x2028, 0x2029, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
];
const UNSAFE_PATTERN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u; // eslint-disable-line no-control-regex

/** Decodes what escapeTerminalText produced (test oracle for injectivity). */
function unescape(text: string): string {
  return text.replace(/\\(n|r|t|\\|u\{([0-9a-f]+)\})/g, (_, kind: string, hex: string | undefined) =>
    hex !== undefined ? String.fromCodePoint(parseInt(hex, 16)) : ({ n: '\n', r: '\r', t: '\t', '\\': '\\' } as Record<string, string>)[kind] ?? '',
  );
}

const hostileText = fc.string({
  unit: fc.oneof(
    fc.constantFrom(...UNSAFE_CODES.map((code) => String.fromCodePoint(code))),
    fc.constantFrom('\\', 'n', 'u', '{', '}', '1', 'b', 'a', ' ', 'é', '\u{1f600}'),
  ),
  maxLength: 40,
});

describe('escapeTerminalText', () => {
  it('escapes each unsafe character visibly', () => {
    for (const code of UNSAFE_CODES) {
      const escaped = escapeTerminalText(`a${String.fromCodePoint(code)}b`);
      expect(escaped).not.toMatch(UNSAFE_PATTERN);
      expect(escaped).toMatch(/^a\\.+b$/);
    }
    expect(escapeTerminalText('x\ny\u001b[2J\u202ez')).toBe('x\\ny\\u{1b}[2J\\u{202e}z');
    expect(escapeTerminalText('plain ünï \u{1f600} text')).toBe('plain ünï \u{1f600} text');
  });

  it('never leaves an unsafe character and keeps distinct inputs distinct (property)', () => {
    fc.assert(
      fc.property(hostileText, hostileText, (left, right) => {
        const a = escapeTerminalText(left);
        const b = escapeTerminalText(right);
        expect(a).not.toMatch(UNSAFE_PATTERN);
        expect(unescape(a)).toBe(left);
        if (left !== right) expect(a).not.toBe(b);
      }),
      { numRuns: 2000 },
    );
  });
});
