import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidJsonTextError, parseJsonStrict } from './strict-json.js';

// fc.jsonValue() also yields integral doubles beyond 2^53-1 (e.g. 9007199254740992), which are exactly what must fail.
function hasOnlySafeIntegers(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isInteger(value) || Number.isSafeInteger(value) || /e/.test(String(value));
  if (Array.isArray(value)) return value.every(hasOnlySafeIntegers);
  if (typeof value === 'object' && value !== null) return Object.values(value).every(hasOnlySafeIntegers);
  return true;
}
const safeJsonValue = fc.jsonValue().filter(hasOnlySafeIntegers);

function failureOf(text: string): InvalidJsonTextError {
  try {
    parseJsonStrict(text);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidJsonTextError);
    return error as InvalidJsonTextError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parseJsonStrict', () => {
  it('parses ordinary JSON like JSON.parse', () => {
    const text = '{"a": [1, 2.5, "x", null, true], "b": {"c": 9007199254740991}}';
    expect(parseJsonStrict(text)).toEqual(JSON.parse(text));
  });

  it('rejects an empty text and a whitespace-only text', () => {
    expect(failureOf('').message).toBe('file is empty');
    expect(failureOf(' \n\t').message).toBe('file is empty apart from whitespace');
  });

  it('rejects a leading UTF-8 byte order mark, even before valid JSON', () => {
    expect(failureOf('\uFEFF{"a":1}').message).toMatch(/^file starts with a UTF-8 byte order mark/);
  });

  it('reports invalid JSON with the parser error as cause', () => {
    const error = failureOf('{"a": }');
    expect(error.message).toMatch(/^invalid JSON/);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('accepts 2^53-1 and rejects 2^53 with the field path and position', () => {
    expect(parseJsonStrict('{"n": 9007199254740991}')).toEqual({ n: 9007199254740991 });
    const error = failureOf('{\n  "n": 9007199254740992\n}');
    expect(error.message).toBe('field `n`: integer 9007199254740992 exceeds 2^53-1 (9007199254740991) at line 2, column 8');
    expect(error.location).toEqual({ path: ['n'], line: 2, column: 8 });
  });

  it('finds unsafe integers nested in arrays, odd keys and unknown fields', () => {
    const text = '{"s": "12345678901234567890", "a b": [{"x": 1}, {"y": [0, 18446744073709551615]}]}';
    const error = failureOf(text);
    expect(error.location?.path).toEqual(['a b', 1, 'y', 1]);
    expect(error.message).toMatch(/^field `\["a b"\]\[1\]\.y\[1\]`: integer 18446744073709551615 exceeds 2\^53-1/);
  });

  it('rejects a large negative integer and a bare top-level one', () => {
    expect(failureOf('[-9007199254740992]').message).toMatch(/^field `\[0\]`: integer -9007199254740992 is below -\(2\^53-1\)/);
    expect(failureOf('99999999999999999999').message).toMatch(/^integer 99999999999999999999 exceeds 2\^53-1/);
  });

  it('ignores long digit runs inside strings (with escapes) and in fractions or exponents', () => {
    const text = '{"k\\"12345678901234567": "a\\\\\\"99999999999999999999", "f": 0.12345678901234567890, "e": 1.5e300}';
    expect(parseJsonStrict(text)).toEqual(JSON.parse(text));
  });

  it('scans a multi-megabyte string literal full of escapes without overflowing the stack', () => {
    const text = JSON.stringify({ s: 'ab\\"c'.repeat(3_000_000), n: 1234567890123456 });
    expect(parseJsonStrict(text)).toMatchObject({ n: 1234567890123456 });
  });

  it('agrees with JSON.parse on any JSON without unsafe integers', () => {
    fc.assert(
      fc.property(safeJsonValue, (value) => {
        const text = JSON.stringify(value);
        expect(parseJsonStrict(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects any integer above 2^53-1 wherever it is placed', () => {
    fc.assert(
      fc.property(
        safeJsonValue,
        fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n }),
        fc.string(),
        (value, big, key) => {
          const text = `{${JSON.stringify(key)}: [${JSON.stringify(value)}, ${big}]}`;
          const error = failureOf(text);
          expect(error.message).toContain(`integer ${big} exceeds 2^53-1`);
          expect(error.location?.path).toEqual([key, 1]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
