import crypto from 'node:crypto';
import { latin1Text } from './latin1-text.js';
import { nativeRowHasher, type NativeRowHasher } from './native-row-hasher.js';

// One-shot hashing (`crypto.hash`, Node >= 20.12) is about 3x faster than a
// Hash object per row; a replay with the chain checked hashes every row.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'hex') => string }).hash;

/**
 * SHA-256 (64 lower-case hex digits) of one row's bytes without its line
 * ending (`\n`, or `\r\n`: a CRLF conversion of the file leaves every row's
 * hash, and so the chain, intact). This is the audit chain's link.
 */
export function rowSha256Hex(bytes: Uint8Array): string {
  return oneShotHash === undefined ? crypto.createHash('sha256').update(bytes).digest('hex') : oneShotHash('sha256', bytes, 'hex');
}

/** Bytes of one hash in `RowBatchHasher.hex`. */
export const ROW_HASH_HEX_LENGTH = 64;

/**
 * The hashes of a batch of rows (`rowSha256Hex` of each), as hex digits in
 * one buffer: one call into the native hasher when it is there
 * (`nativeRowHasher`), else node:crypto row by row. Kept as bytes: a replay
 * compares them with the next row's `prev_sha256` in place
 * (`AuditRowScanner.setExpectedPrevHex`), and makes a string of only the
 * few it reports.
 */
export class RowBatchHasher {
  /** Row k's hash at `64k` (k < capacity), then one slot more (`keptAt`) for a hash kept across batches. */
  readonly hex: Buffer;
  /** Where `keep` copies a hash to (the next batch leaves it alone). */
  readonly keptAt: number;

  /**
   * `nativeHasher`: gives the hasher to use (undefined: node:crypto); by
   * default the one beside this module, if any. Asked when rows are first
   * hashed, not here: a replay that hashes nothing (`status`) loads nothing.
   */
  constructor(
    readonly capacity: number,
    private readonly nativeHasher: () => NativeRowHasher | undefined = nativeRowHasher,
  ) {
    this.hex = Buffer.alloc((capacity + 1) * ROW_HASH_HEX_LENGTH);
    this.keptAt = capacity * ROW_HASH_HEX_LENGTH;
  }

  /** Row k's hash (`buf[starts[k], ends[k])`) at `64k` of `hex`, for k < count (at most `capacity`). */
  hashRows(buf: Buffer, starts: Int32Array, ends: Int32Array, count: number): void {
    if (count > this.capacity) throw new RangeError(`a batch of ${count} rows is more than ${this.capacity}`);
    const native = this.nativeHasher();
    if (native !== undefined) {
      native.hashRowsHex(buf, starts, ends, count, this.hex);
      return;
    }
    // A plain Uint8Array view: Buffer's own `subarray` costs more per row than the view.
    const { buffer, byteOffset } = buf;
    for (let k = 0; k < count; k += 1) {
      const start = starts[k] as number;
      this.hex.write(rowSha256Hex(new Uint8Array(buffer, byteOffset + start, (ends[k] as number) - start)), k * ROW_HASH_HEX_LENGTH, 'latin1');
    }
  }

  /**
   * `hashRows` for the rows of `byteLength` bytes only (few: they are hashed
   * one by one). The other rows' slots keep whatever they held: the caller
   * knows which rows were hashed (a fill per row cost more than the hashing).
   */
  hashRowsOfLength(buf: Buffer, starts: Int32Array, ends: Int32Array, count: number, byteLength: number): void {
    if (count > this.capacity) throw new RangeError(`a batch of ${count} rows is more than ${this.capacity}`);
    const { buffer, byteOffset } = buf;
    for (let k = 0; k < count; k += 1) {
      const start = starts[k] as number;
      if ((ends[k] as number) - start !== byteLength) continue;
      this.hex.write(rowSha256Hex(new Uint8Array(buffer, byteOffset + start, byteLength)), k * ROW_HASH_HEX_LENGTH, 'latin1');
    }
  }

  /** Copies the hash at `at` to `keptAt` (the next batch overwrites the others); returns `keptAt`. */
  keep(at: number): number {
    if (at !== this.keptAt) this.hex.copyWithin(this.keptAt, at, at + ROW_HASH_HEX_LENGTH);
    return this.keptAt;
  }

  /** The hash at `at` as a string. */
  text(at: number): string {
    return latin1Text(this.hex, at, at + ROW_HASH_HEX_LENGTH);
  }

  /** Whether the hash at `at` is `sha256` (64 hex digits). */
  equals(at: number, sha256: string): boolean {
    const hex = this.hex;
    for (let k = 0; k < ROW_HASH_HEX_LENGTH; k += 1) {
      if (hex[at + k] !== sha256.charCodeAt(k)) return false;
    }
    return sha256.length === ROW_HASH_HEX_LENGTH;
  }
}
