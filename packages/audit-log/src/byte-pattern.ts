// A run of bytes compared 8 at a time through a DataView, instead of byte by
// byte: the scanner's hot loop compares every key of every row against the
// key expected there, and the repeated values (principal, action, lifecycle)
// against the previous ones. A DataView read is one unaligned load once V8
// has optimized the code; a byte loop costs a load, a check and a branch per
// byte (measured: the key comparison took an eighth of a replay's time).

/** A byte sequence to look for at a position of a buffer read through a DataView. */
export class BytePattern {
  readonly length: number;
  /** Offsets and values of the 8-byte words compared as doubles (the last one may overlap the one before). */
  private readonly wideAt: Int32Array;
  private readonly wide: Float64Array;
  /** Offsets and values of the 4-byte words compared as integers. */
  private readonly narrowAt: Int32Array;
  private readonly narrow: Int32Array;
  /** Under 4 bytes: compared one by one. */
  private readonly bytes: Uint8Array;

  constructor(source: Uint8Array) {
    const bytes = Uint8Array.from(source);
    const length = bytes.length;
    const view = new DataView(bytes.buffer, bytes.byteOffset, length);
    this.length = length;
    this.bytes = length < 4 ? bytes : new Uint8Array(0);
    const wideAt = wordOffsets(length, 8);
    const wide = wideAt.map((at) => view.getFloat64(at, true));
    // Doubles are equal exactly when their bits are, save NaN (never equal) and the two zeros (equal):
    // a pattern with such a word is compared as 4-byte integers instead.
    if (wideAt.length > 0 && wide.every((value) => !Number.isNaN(value) && value !== 0)) {
      this.wideAt = Int32Array.from(wideAt);
      this.wide = Float64Array.from(wide);
      this.narrowAt = new Int32Array(0);
      this.narrow = new Int32Array(0);
    } else {
      const narrowAt = wordOffsets(length, 4);
      this.wideAt = new Int32Array(0);
      this.wide = new Float64Array(0);
      this.narrowAt = Int32Array.from(narrowAt);
      this.narrow = Int32Array.from(narrowAt, (at) => view.getInt32(at, true));
    }
  }

  /** Whether `view` holds the pattern at `at`; the caller made sure `at + length` is within the view. */
  matchesAt(view: DataView, at: number): boolean {
    const { wide, wideAt } = this;
    for (let w = 0; w < wide.length; w += 1) {
      if (view.getFloat64(at + (wideAt[w] as number), true) !== wide[w]) return false;
    }
    const { narrow, narrowAt } = this;
    for (let w = 0; w < narrow.length; w += 1) {
      if (view.getInt32(at + (narrowAt[w] as number), true) !== narrow[w]) return false;
    }
    const { bytes } = this;
    for (let k = 0; k < bytes.length; k += 1) {
      if (view.getUint8(at + k) !== bytes[k]) return false;
    }
    return true;
  }
}

/** Offsets of `size`-byte words covering `length` bytes: 0, size, ... and one ending at the end; none when shorter than a word. */
function wordOffsets(length: number, size: number): number[] {
  if (length < size) return [];
  const offsets: number[] = [];
  for (let at = 0; at + size < length; at += size) offsets.push(at);
  offsets.push(length - size);
  return offsets;
}
