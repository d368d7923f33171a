// The native batch row hasher must give node:crypto's hashes, byte for byte,
// for any rows of any buffer, and refuse (throwing, writing nothing) any
// argument that would reach outside the memory it was given. Replay only
// trusts a build that loads and passes a self-test; on this platform the
// build must produce one, or replay silently runs at node:crypto's speed.
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNativeRowHasher, NATIVE_ROW_HASHER_FILE, type NativeRowHasher } from './native-row-hasher.js';
import { RowBatchHasher } from './row-hash.js';

/** Written by `pnpm --filter @tau/audit-log build` (turbo builds before `pnpm test`). */
const BUILT = path.join(import.meta.dirname, '..', 'dist', NATIVE_ROW_HASHER_FILE);

function hasCompiler(): boolean {
  return spawnSync(process.env.CC || 'cc', ['--version'], { stdio: 'ignore' }).status === 0;
}

function sha256Hex(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-row-hasher-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A buffer and rows in it (any bytes, empty rows, overlapping rows, rows at either end). */
const rowsArb = fc
  .uint8Array({ maxLength: 3000 })
  .chain((bytes) =>
    fc.record({
      bytes: fc.constant(bytes),
      rows: fc.array(
        fc.tuple(fc.nat({ max: bytes.length }), fc.nat({ max: bytes.length })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const),
        { maxLength: 70 },
      ),
      // Where the bytes sit in their ArrayBuffer (a Buffer from the pool starts past 0).
      lead: fc.nat({ max: 17 }),
    }),
  );

describe('the native row hasher', () => {
  const native = loadNativeRowHasher(BUILT);

  it.runIf(process.platform === 'linux' && hasCompiler())('is built, loads and passes its self-test where a C compiler is', () => {
    expect(fs.existsSync(BUILT), `${BUILT} missing: build @tau/audit-log first`).toBe(true);
    expect(native, `${BUILT} did not load or failed its self-test`).toBeDefined();
  });

  describe.runIf(native !== undefined)('built', () => {
    const hasher = native as NativeRowHasher;

    it('property: each row\'s hex is node:crypto\'s SHA-256 of its bytes', () => {
      fc.assert(
        fc.property(rowsArb, ({ bytes, rows, lead }) => {
          const backing = new Uint8Array(lead + bytes.length);
          backing.set(bytes, lead);
          const view = backing.subarray(lead);
          const starts = Int32Array.from(rows, ([start]) => start);
          const ends = Int32Array.from(rows, ([, end]) => end);
          const out = Buffer.alloc(rows.length * 64 + 5, 0x2a);
          hasher.hashRowsHex(view, starts, ends, rows.length, out);
          rows.forEach(([start, end], k) => expect(out.toString('latin1', 64 * k, 64 * k + 64)).toBe(sha256Hex(bytes.subarray(start, end))));
          // Nothing written past the rows asked for.
          expect(out.subarray(rows.length * 64).every((byte) => byte === 0x2a)).toBe(true);
        }),
        { numRuns: 500 },
      );
    });

    it('hashes a row of several megabytes, and the empty row', () => {
      const big = crypto.randomBytes(5 * 1024 * 1024 + 3);
      const out = Buffer.alloc(128);
      hasher.hashRowsHex(big, Int32Array.of(0, 7), Int32Array.of(big.length, 7), 2, out);
      expect(out.toString('latin1', 0, 64)).toBe(sha256Hex(big));
      expect(out.toString('latin1', 64, 128)).toBe(sha256Hex(new Uint8Array(0)));
    });

    const bytes = Buffer.from('0123456789');
    const two = Int32Array.of(0, 2);
    it.each<[string, unknown[]]>([
      ['a row past the end', [bytes, two, Int32Array.of(3, 11), 2]],
      ['a row ending before it starts', [bytes, Int32Array.of(0, 5), Int32Array.of(3, 4), 2]],
      ['a negative start', [bytes, Int32Array.of(0, -1), Int32Array.of(3, 4), 2]],
      ['more rows than starts', [bytes, Int32Array.of(0), Int32Array.of(3, 4), 2]],
      ['more rows than ends', [bytes, two, Int32Array.of(3), 2]],
      ['a negative count', [bytes, two, Int32Array.of(3, 4), -1]],
      ['a count that is not a number', [bytes, two, Int32Array.of(3, 4), '2']],
      ['starts of doubles', [bytes, Float64Array.of(0, 2), Int32Array.of(3, 4), 2]],
      ['ends as a plain array', [bytes, two, [3, 4], 2]],
      ['bytes as a string', ['0123456789', two, Int32Array.of(3, 4), 2]],
      ['bytes as 16-bit words', [new Uint16Array(10), two, Int32Array.of(3, 4), 2]],
    ])('throws and writes nothing for %s', (_name, [input, starts, ends, count]) => {
      const out = Buffer.alloc(128, 0x2a);
      expect(() => (hasher.hashRowsHex as (...args: unknown[]) => void)(input, starts, ends, count, out)).toThrow(/bytes|starts|ends|count|row/);
      expect(out.every((byte) => byte === 0x2a)).toBe(true);
    });

    it('throws and writes nothing when out has no room for every row, or is not bytes, or arguments are missing', () => {
      const out = Buffer.alloc(127, 0x2a);
      expect(() => hasher.hashRowsHex(bytes, two, Int32Array.of(3, 4), 2, out)).toThrow(RangeError);
      expect(out.every((byte) => byte === 0x2a)).toBe(true);
      expect(() => (hasher.hashRowsHex as (...args: unknown[]) => void)(bytes, two, Int32Array.of(3, 4), 2, new Array(128).fill(0))).toThrow(TypeError);
      expect(() => (hasher.hashRowsHex as (...args: unknown[]) => void)(bytes, two, Int32Array.of(3, 4))).toThrow(TypeError);
    });

    it('a RowBatchHasher on it gives what one on node:crypto gives (every row, rows of one length, kept hashes)', () => {
      fc.assert(
        fc.property(rowsArb, fc.nat({ max: 40 }), ({ bytes, rows }, length) => {
          const buf = Buffer.from(bytes);
          const count = Math.min(rows.length, 64);
          const starts = Int32Array.from(rows.slice(0, count), ([start]) => start);
          const ends = Int32Array.from(rows.slice(0, count), ([, end]) => end);
          const withNative = new RowBatchHasher(64, () => hasher);
          const withCrypto = new RowBatchHasher(64, () => undefined);
          withNative.hashRows(buf, starts, ends, count);
          withCrypto.hashRows(buf, starts, ends, count);
          expect(withNative.hex.subarray(0, count * 64)).toEqual(withCrypto.hex.subarray(0, count * 64));
          for (let k = 0; k < count; k += 1) expect(withNative.text(64 * k)).toBe(sha256Hex(bytes.subarray(starts[k], ends[k])));
          if (count > 0) {
            const kept = withNative.keep(64 * (count - 1));
            expect(withCrypto.keep(64 * (count - 1))).toBe(kept);
            withNative.hashRowsOfLength(buf, starts, ends, count, length);
            withCrypto.hashRowsOfLength(buf, starts, ends, count, length);
            expect(withNative.hex).toEqual(withCrypto.hex);
            for (let k = 0; k < count; k += 1) {
              if ((ends[k] as number) - (starts[k] as number) === length) expect(withNative.text(64 * k)).toBe(sha256Hex(bytes.subarray(starts[k], ends[k])));
            }
            // The kept hash outlives the next batch.
            expect(withNative.text(kept)).toBe(sha256Hex(bytes.subarray(starts[count - 1], ends[count - 1])));
          }
        }),
        { numRuns: 200 },
      );
    });
  });
});

describe('loadNativeRowHasher', () => {
  it.each<[string, () => string]>([
    ['a missing file', () => path.join(dir, 'missing.node')],
    ['a directory', () => dir],
    ['a text file', () => {
      const file = path.join(dir, 'text.node');
      fs.writeFileSync(file, 'not a shared object\n');
      return file;
    }],
    ['a dangling link', () => {
      const link = path.join(dir, 'dangling.node');
      fs.rmSync(link, { force: true });
      fs.symlinkSync(path.join(dir, 'nowhere'), link);
      return link;
    }],
  ])('gives undefined for %s (replay then hashes with node:crypto)', (_name, make) => {
    expect(loadNativeRowHasher(make())).toBeUndefined();
  });
});

describe('RowBatchHasher', () => {
  it('refuses a batch larger than its capacity', () => {
    const hasher = new RowBatchHasher(2, () => undefined);
    expect(() => hasher.hashRows(Buffer.from('abc'), new Int32Array(3), new Int32Array(3), 3)).toThrow(RangeError);
  });

  it('compares a kept hash with a string: equal only to the same 64 digits', () => {
    const hasher = new RowBatchHasher(1, () => undefined);
    hasher.hashRows(Buffer.from('row'), Int32Array.of(0), Int32Array.of(3), 1);
    const hex = sha256Hex(Buffer.from('row'));
    expect(hasher.equals(0, hex)).toBe(true);
    for (const other of [hex.slice(0, 63), `${hex}0`, hex.toUpperCase(), `${hex.slice(0, 63)}${hex[63] === '0' ? '1' : '0'}`, '']) {
      expect(hasher.equals(0, other)).toBe(false);
    }
  });
});
