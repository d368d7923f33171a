import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditRowFieldsOf } from './audit-row-fields.js';
import { parseAuditRow } from './audit-row-parse.js';
import { AuditRowScanner } from './audit-row-scanner.js';
import { auditLineArb, plainRowLineArb } from './test-support/audit-line-arbitraries.js';

function scanAlone(line: Buffer, padding = Buffer.alloc(0)): ReturnType<typeof auditRowFieldsOf> | undefined {
  // Junk around the range: the scanner must never read outside [start, end).
  const buf = Buffer.concat([padding, line, padding]);
  const scanner = new AuditRowScanner();
  return scanner.scan(buf, padding.length, padding.length + line.length) ? { ...scanner.fields } : undefined;
}

function simpleFields(line: Buffer): ReturnType<typeof auditRowFieldsOf> | 'rejected' {
  try {
    return auditRowFieldsOf(parseAuditRow(line));
  } catch {
    return 'rejected';
  }
}

describe('AuditRowScanner', () => {
  it('extracts the replay fields of a Tau row', () => {
    const line = Buffer.from(
      '{"schema_version":1,"timestamp_unix_ms":1767225600000,"principal":"local:alice","action":"pause","action_key":"control:rl:pause","lifecycle_state":"paused","idempotent":false,"rollback_checkpoint":null,"recovery_checkpoint_source":null}',
    );
    expect(scanAlone(line)).toEqual({
      action: 'pause',
      timestamp_unix_ms: 1767225600000,
      principal: 'local:alice',
      lifecycle_state: 'paused',
      idempotent: false,
      prev_sha256: undefined,
    });
  });

  it('reads odd-typed optional fields as absent', () => {
    expect(
      scanAlone(Buffer.from('{"action":"x","timestamp_unix_ms":"soon","principal":7,"lifecycle_state":"dancing","idempotent":1}')),
    ).toEqual({ action: 'x', timestamp_unix_ms: undefined, principal: undefined, lifecycle_state: undefined, idempotent: undefined, prev_sha256: undefined });
  });

  it.each([
    ['a repeated known key', '{"action":"x","principal":"p1","principal":"p2"}'],
    ['a repeated key out of write order', '{"principal":"p1","action":"x","principal":"p2"}'],
    ['a repeated first key', '{"schema_version":1,"schema_version":1,"action":"x"}'],
    ['an unknown key (repeats are the simple path\'s to find)', '{"action":"x","extra":1,"extra":2}'],
    ['a nested object', '{"action":"x","host":{"a":1,"a":2}}'],
  ])('declines %s (the simple path rejects repeated keys)', (_name, line) => {
    expect(scanAlone(Buffer.from(line))).toBeUndefined();
  });

  it('decodes escaped values of the fields it extracts', () => {
    expect(scanAlone(Buffer.from('{"action":"p\\u0061use","principal":"a\\"b\\\\c","lifecycle_state":"p\\u0061used"}'))).toMatchObject({
      action: 'pause',
      principal: 'a"b\\c',
      lifecycle_state: 'paused',
    });
  });

  it('declines lines it must not judge alone (the simple path decides)', () => {
    for (const text of [
      '{"action":"a","action":"b"}',
      '{"act\\u0069on":"a"}',
      '{"action":"a","timestamp_unix_ms":9007199254740993}',
      '{"action":"a","timestamp_unix_ms":1e3}',
      '\uFEFF{"action":"a"}',
      '["a"]',
      '{"action":"a"} x',
      '{"action":"a"',
      '{"principal":"p"}',
    ]) {
      expect(scanAlone(Buffer.from(text)), text).toBeUndefined();
    }
  });

  it('property: whenever it accepts a line, the JSON.parse path accepts it with the same fields', () => {
    let accepted = 0;
    fc.assert(
      fc.property(auditLineArb, fc.uint8Array({ maxLength: 3 }), (line, padding) => {
        const fast = scanAlone(line, Buffer.from(padding));
        if (fast === undefined) return; // declined: the simple path decides, nothing to compare
        accepted += 1;
        expect(simpleFields(line)).toEqual(fast);
      }),
      { numRuns: 3000 },
    );
    // The generated lines must reach the comparison, or the property holds vacuously.
    // Lines with unknown keys or nested objects are declined, so fewer reach it than once did.
    expect(accepted).toBeGreaterThan(150);
  });

  it('property: it accepts every plainly written row (so replay stays on the fast path)', () => {
    fc.assert(
      fc.property(plainRowLineArb, (line) => {
        expect(scanAlone(line)).toEqual(simpleFields(line));
      }),
      { numRuns: 1000 },
    );
  });

  it('property: an expected prev_sha256 (the previous row\'s hash) changes nothing but the work done', () => {
    const hexArb = fc.stringMatching(/^[0-9a-f]{64}$/);
    fc.assert(
      fc.property(fc.oneof(plainRowLineArb, auditLineArb), hexArb, fc.boolean(), (line, randomHex, useOwn) => {
        const plain = new AuditRowScanner();
        const plainAccepted = plain.scan(line, 0, line.length);
        const own = plainAccepted ? plain.fields.prev_sha256 : undefined;
        const hinted = new AuditRowScanner();
        hinted.expectedPrevSha256 = useOwn && own !== undefined && /^[0-9a-f]{64}$/.test(own) ? own : randomHex;
        expect(hinted.scan(line, 0, line.length)).toBe(plainAccepted);
        if (plainAccepted) expect({ ...hinted.fields }).toEqual({ ...plain.fields });
      }),
      { numRuns: 1500 },
    );
    // A near miss (one digit off, or the closing quote elsewhere) takes the ordinary path.
    const hex = 'a'.repeat(64);
    const scanner = new AuditRowScanner();
    scanner.expectedPrevSha256 = hex;
    for (const value of [hex, `b${hex.slice(1)}`, `${hex.slice(0, 31)}b${hex.slice(32)}`, `${hex.slice(0, 63)}b`, `${hex}a`, hex.slice(0, 63)]) {
      const line = Buffer.from(`{"action":"pause","prev_sha256":"${value}"}`);
      expect(scanner.scan(line, 0, line.length)).toBe(true);
      expect(scanner.fields.prev_sha256).toBe(value);
    }
  });

  it('property: an expected prev_sha256 given as bytes is matched in place, and changes nothing else', () => {
    const hexArb = fc.stringMatching(/^[0-9a-f]{64}$/);
    let matched = 0;
    fc.assert(
      fc.property(fc.oneof(plainRowLineArb, auditLineArb), hexArb, fc.boolean(), fc.nat({ max: 9 }), (line, randomHex, useOwn, slot) => {
        const plain = new AuditRowScanner();
        const plainAccepted = plain.scan(line, 0, line.length);
        const own = plainAccepted ? plain.fields.prev_sha256 : undefined;
        const expected = useOwn && own !== undefined && /^[0-9a-f]{64}$/.test(own) ? own : randomHex;
        // The digits sit at some slot of a larger buffer, as in a batch's hashes.
        const hex = Buffer.alloc(64 * 10, 0x30);
        hex.write(expected, 64 * slot, 'latin1');
        const hinted = new AuditRowScanner();
        hinted.setExpectedPrevHex(hex, 64 * slot);
        expect(hinted.scan(line, 0, line.length)).toBe(plainAccepted);
        if (!plainAccepted) return;
        if (hinted.prevSha256MatchedHex) {
          matched += 1;
          // Only a prev_sha256 that is exactly the expected digits is taken as matched; its string is not made.
          expect(own).toBe(expected);
          expect({ ...hinted.fields }).toEqual({ ...plain.fields, prev_sha256: undefined });
        } else {
          expect({ ...hinted.fields }).toEqual({ ...plain.fields });
        }
        // No hint (-1): the string is decoded as before.
        hinted.setExpectedPrevHex(hex, -1);
        expect(hinted.scan(line, 0, line.length)).toBe(true);
        expect(hinted.prevSha256MatchedHex).toBe(false);
        expect({ ...hinted.fields }).toEqual({ ...plain.fields });
      }),
      { numRuns: 1500 },
    );
    // Enough rows must carry their own hash, or the matched branch goes untested.
    expect(matched).toBeGreaterThan(15);
    // A near miss (one digit off, one digit more or less, upper case) is decoded, and a row outside the compact layout too.
    const hex = 'a'.repeat(64);
    const scanner = new AuditRowScanner();
    scanner.setExpectedPrevHex(Buffer.from(hex), 0);
    for (const value of [`b${hex.slice(1)}`, `${hex.slice(0, 31)}b${hex.slice(32)}`, `${hex.slice(0, 63)}b`, `${hex}a`, hex.slice(0, 63), hex.toUpperCase()]) {
      const line = Buffer.from(`{"action":"pause","prev_sha256":"${value}"}`);
      expect(scanner.scan(line, 0, line.length)).toBe(true);
      expect(scanner.prevSha256MatchedHex).toBe(false);
      expect(scanner.fields.prev_sha256).toBe(value);
    }
    for (const [text, isMatched] of [
      [`{"action":"pause","prev_sha256":"${hex}"}`, true],
      [`{"action":"pause", "prev_sha256":"${hex}"}`, false],
      [`{"prev_sha256":"${hex}","action":"pause"}`, false],
    ] as const) {
      const line = Buffer.from(text);
      expect(scanner.scan(line, 0, line.length)).toBe(true);
      expect(scanner.prevSha256MatchedHex, text).toBe(isMatched);
      expect(scanner.fields.prev_sha256, text).toBe(isMatched ? undefined : hex);
    }
  });

  // The compact layout (keys in write order, no whitespace) is scanned by its own straight-line path: each
  // line here sits at one of its edges. Whatever the path, the answer must be the simple path's.
  const ROW = '{"schema_version":1,"timestamp_unix_ms":1767225600000,"principal":"local:alice","action":"pause"';
  it.each([
    ['a Tau row', `${ROW},"action_key":"control:rl:pause","lifecycle_state":"paused","idempotent":false,"rollback_checkpoint":null,"recovery_checkpoint_source":null}`],
    ['one of ours through the control API', `${ROW},"prev_sha256":"${'c'.repeat(64)}","os_user":"alice","host":"h","auth":"token:t1","client_address":"10.0.0.7"}`],
    ['the action alone', '{"action":"pause"}'],
    ['no action', '{"schema_version":1,"principal":"p"}'],
    ['a timestamp with a leading zero', '{"timestamp_unix_ms":0123,"action":"pause"}'],
    ['a zero timestamp', '{"timestamp_unix_ms":0,"action":"pause"}'],
    ['a 16-digit timestamp', '{"timestamp_unix_ms":1234567890123456,"action":"pause"}'],
    ['a 15-digit timestamp', '{"timestamp_unix_ms":123456789012345,"action":"pause"}'],
    ['a fractional timestamp', '{"timestamp_unix_ms":17.5,"action":"pause"}'],
    ['a timestamp with an exponent', '{"timestamp_unix_ms":17e3,"action":"pause"}'],
    ['a negative timestamp', '{"timestamp_unix_ms":-17,"action":"pause"}'],
    ['a string timestamp', '{"timestamp_unix_ms":"17","action":"pause"}'],
    ['a fractional schema version', '{"schema_version":1.5,"action":"pause"}'],
    ['a string idempotent flag', '{"action":"pause","idempotent":"true"}'],
    ['a true idempotent flag', '{"action":"pause","idempotent":true}'],
    ['a broken literal', '{"action":"pause","idempotent":tru}'],
    ['a literal running on', '{"action":"pause","idempotent":truex}'],
    ['a null that is cut short', '{"action":"pause","rollback_checkpoint":nul}'],
    ['a null lifecycle', '{"action":"pause","lifecycle_state":null}'],
    ['an unknown lifecycle', '{"action":"pause","lifecycle_state":"dancing"}'],
    ['an unknown action', '{"action":"audit_accept"}'],
    ['a raw tab in a string', '{"action":"pause","principal":"a\tb"}'],
    ['a raw control byte in a string', '{"action":"pause","host":"a\u0001b"}'],
    ['an escaped quote in a string', '{"action":"pause","host":"a\\"b"}'],
    ['a non-ASCII principal', '{"action":"pause","principal":"local:jos\u00e9"}'],
    ['a space after a colon', '{"action": "pause"}'],
    ['a trailing comma', '{"action":"pause",}'],
    ['bytes after the object', '{"action":"pause"} '],
    ['a second object', '{"action":"pause"}{}'],
    ['a repeated key out of order', '{"action":"pause","schema_version":1,"schema_version":2}'],
    ['a repeated action', '{"action":"pause","action":"resume"}'],
    ['keys out of write order', '{"host":"h","action":"pause","principal":"p"}'],
    ['a key prefix cut at the end of the line', '{"action":"pause","prin'],
    ['an unterminated string', '{"action":"pause","host":"h'],
    ['a prev_sha256 of 65 digits', `{"action":"pause","prev_sha256":"${'c'.repeat(65)}"}`],
    ['a prev_sha256 of 63 digits', `{"action":"pause","prev_sha256":"${'c'.repeat(63)}"}`],
    ['a prev_sha256 that is not a string', '{"action":"pause","prev_sha256":7}'],
  ])('the compact layout\'s edge: %s gets the simple path\'s answer', (_name, text) => {
    const line = Buffer.from(text);
    const scanner = new AuditRowScanner();
    scanner.expectedPrevSha256 = 'c'.repeat(64);
    const accepted = scanner.scan(line, 0, line.length);
    const simple = simpleFields(line);
    if (simple === 'rejected') expect(accepted).toBe(false);
    else if (accepted) expect({ ...scanner.fields }).toEqual(simple);
  });

  it('keeps the right principal however many take turns (the recent ones are compared, older ones decoded again)', () => {
    const scanner = new AuditRowScanner();
    const principals = Array.from({ length: 12 }, (_, index) => `local:op-${String(index).padStart(2, '0')}`);
    for (let round = 0; round < 3; round += 1) {
      for (const principal of [...principals, ...principals.slice(0, 3).reverse()]) {
        const line = Buffer.from(`{"action":"pause","principal":"${principal}"}`);
        expect(scanner.scan(line, 0, line.length)).toBe(true);
        expect(scanner.fields.principal).toBe(principal);
      }
    }
  });

  it('never hands back the cached principal for another principal of the same length', () => {
    const scanner = new AuditRowScanner();
    const line = Buffer.from('{"action":"pause","principal":"local:alice"}');
    scanner.scan(line, 0, line.length);
    const first = scanner.fields.principal;
    scanner.scan(line, 0, line.length);
    expect(scanner.fields.principal).toBe(first);
    const other = Buffer.from('{"action":"pause","principal":"local:bobby"}');
    scanner.scan(other, 0, other.length);
    expect(scanner.fields.principal).toBe('local:bobby');
  });
});
