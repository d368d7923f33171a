import { formatErrorChain } from '@tau/schemas';
import { describe, expect, it } from 'vitest';
import { countTopLevelKey, parseAuditRow } from './audit-row-parse.js';

function causeOf(line: string | Buffer): string {
  try {
    parseAuditRow(typeof line === 'string' ? Buffer.from(line) : line);
  } catch (error) {
    return formatErrorChain(error);
  }
  throw new Error('expected the line to be rejected');
}

describe('parseAuditRow', () => {
  it('accepts any object with a string action and keeps every key', () => {
    expect(parseAuditRow(Buffer.from('{"action":"pause","x":[1,{"y":null}]}'))).toEqual({ action: 'pause', x: [1, { y: null }] });
    expect(parseAuditRow(Buffer.from(' {"action":"anything at all"} \r'))).toEqual({ action: 'anything at all' });
  });

  it('rejects a leading byte order mark with a precise cause', () => {
    expect(causeOf('\uFEFF{"action":"pause"}')).toMatch(/^line starts with a UTF-8 byte order mark/);
  });

  it('rejects invalid UTF-8 anywhere in the line', () => {
    const bytes = Buffer.concat([Buffer.from('{"action":"pause","principal":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    expect(causeOf(bytes)).toBe('line is not valid UTF-8');
  });

  it('rejects JSON that is not an object, naming what it found', () => {
    expect(causeOf('["pause"]')).toBe('row is not a JSON object (found an array)');
    expect(causeOf('"pause"')).toBe('row is not a JSON object (found a string)');
    expect(causeOf('null')).toBe('row is not a JSON object (found null)');
    expect(causeOf('12')).toBe('row is not a JSON object (found a number)');
  });

  it('rejects a missing or non-string action', () => {
    expect(causeOf('{"actions":"pause"}')).toBe('row has no `action` field');
    expect(causeOf('{"action":5}')).toBe('`action` must be a string (found a number)');
    expect(causeOf('{"action":null}')).toBe('`action` must be a string (found null)');
  });

  it('rejects a duplicate action like serde does, however it is spelled', () => {
    expect(causeOf('{"action":"pause","action":"resume"}')).toBe('duplicate key "action" at line 1, column 19');
    expect(causeOf('{"action":"pause","act\\u0069on":"resume"}')).toBe('duplicate key "action" at line 1, column 19');
    // Every repeated key, at any depth, is refused too.
    expect(causeOf('{"action":"pause","x":{"a":1,"a":2}}')).toBe('duplicate key "a" in `x` at line 1, column 30');
    expect(causeOf('{"action":"pause","__proto__":1,"__proto__":2}')).toMatch(/^duplicate key "__proto__"/);
    // Nested or value occurrences are not top-level keys.
    expect(parseAuditRow(Buffer.from('{"action":"action","x":{"action":"y"},"z":["action"]}')).action).toBe('action');
  });

  it('rejects syntax errors and integers beyond 2^53-1 instead of rounding them', () => {
    expect(causeOf('{"action":"pause",}')).toMatch(/invalid JSON/);
    expect(causeOf('{"action":"pause"')).toMatch(/invalid JSON/);
    expect(causeOf('{"action":"pause","timestamp_unix_ms":9007199254740993}')).toMatch(
      /timestamp_unix_ms.*integer 9007199254740993 exceeds 2\^53-1/,
    );
    expect(causeOf('{"action":"pause","other":-9007199254740993}')).toMatch(/-9007199254740993/);
    expect(parseAuditRow(Buffer.from('{"action":"pause","timestamp_unix_ms":9007199254740991}'))).toMatchObject({
      timestamp_unix_ms: 9007199254740991,
    });
  });
});

describe('countTopLevelKey', () => {
  it('counts only keys of the top-level object, decoding escapes', () => {
    expect(countTopLevelKey('{"a":1,"b":{"a":2},"\\u0061":3,"c":"a"}', 'a')).toBe(2);
    expect(countTopLevelKey('{"x":"\\"a\\":"}', 'a')).toBe(0);
  });
});
