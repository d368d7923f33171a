import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BytePattern } from './byte-pattern.js';

/** The plain answer: byte by byte. */
function bytesEqualAt(haystack: Uint8Array, at: number, needle: Uint8Array): boolean {
  if (at + needle.length > haystack.length) return false;
  return needle.every((byte, index) => haystack[at + index] === byte);
}

// Bytes that make 8-byte words NaN, zero or negative zero when read as doubles, and ordinary text.
const byteArb = fc.oneof(
  fc.integer({ min: 0, max: 255 }),
  fc.constantFrom(0x00, 0x80, 0xff, 0x7f, 0xf0, 0xf8, 0x22, 0x3a),
  fc.integer({ min: 0x20, max: 0x7e }),
);

describe('BytePattern', () => {
  it('property: matches exactly where the bytes are equal, at every offset, for every length and byte value', () => {
    fc.assert(
      fc.property(
        fc.array(byteArb, { maxLength: 40 }),
        fc.array(byteArb, { maxLength: 60 }),
        fc.nat(),
        fc.boolean(),
        (needleBytes, noise, where, plant) => {
          const needle = Uint8Array.from(needleBytes);
          const haystack = Uint8Array.from([...noise, ...noise]);
          const at = haystack.length === 0 ? 0 : where % (haystack.length + 1);
          // Often the needle itself, so that matches are as common as mismatches.
          if (plant && at + needle.length <= haystack.length) haystack.set(needle, at);
          if (at + needle.length > haystack.length) return;
          const view = new DataView(haystack.buffer, haystack.byteOffset, haystack.byteLength);
          expect(new BytePattern(needle).matchesAt(view, at)).toBe(bytesEqualAt(haystack, at, needle));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['a NaN word', [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x41]],
    ['a zero word', [0, 0, 0, 0, 0, 0, 0, 0, 0x41]],
    ['a negative zero word', [0, 0, 0, 0, 0, 0, 0, 0x80]],
  ])('%s still matches only itself (compared as integers)', (_name, bytes) => {
    const needle = Uint8Array.from(bytes);
    const view = (data: number[]) => new DataView(Uint8Array.from(data).buffer);
    expect(new BytePattern(needle).matchesAt(view(bytes), 0)).toBe(true);
    const other = [...bytes];
    other[7] = (other[7] as number) ^ 0x80;
    expect(new BytePattern(needle).matchesAt(view(other), 0)).toBe(false);
  });

  it('notices a change to any single byte, for every length up to 40 (straight-line words and the loop past them)', () => {
    for (let length = 0; length <= 40; length += 1) {
      // Text (8-byte words), and a zero first word (which makes the whole pattern compared in 4-byte words).
      for (const fill of [(index: number) => 0x41 + (index % 26), (index: number) => (index < 8 ? 0 : 0x30 + (index % 10))]) {
        const bytes = Array.from({ length }, (_, index) => fill(index));
        const pattern = new BytePattern(Uint8Array.from(bytes));
        const padded = [0x20, ...bytes, 0x20];
        const view = (data: number[]) => new DataView(Uint8Array.from(data).buffer);
        expect(pattern.matchesAt(view(padded), 1)).toBe(true);
        for (let index = 0; index < length; index += 1) {
          const changed = [...padded];
          changed[index + 1] = (changed[index + 1] as number) ^ 0x01;
          expect(pattern.matchesAt(view(changed), 1), `length ${length}, byte ${index}`).toBe(false);
        }
      }
    }
  });

  it('copies its bytes: changing the source later changes nothing', () => {
    const source = Buffer.from('"principal":');
    const pattern = new BytePattern(source);
    source.fill(0x20);
    const text = Buffer.from('"principal":');
    expect(pattern.matchesAt(new DataView(text.buffer, text.byteOffset, text.byteLength), 0)).toBe(true);
  });
});
