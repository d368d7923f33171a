// A run of bytes compared 8 at a time through a DataView, instead of byte by
// byte: the scanner's hot loop compares every key of every row against the
// key expected there, and the repeated values (principal, action, lifecycle)
// against the previous ones. A DataView read is one unaligned load once V8
// has optimized the code; a byte loop costs a load, a check and a branch per
// byte (measured: the key comparison took an eighth of a replay's time).

/** How a pattern is compared: 8-byte words as doubles, 4-byte words as integers, or (under 4 bytes) byte by byte. */
const enum WordKind {
  Wide,
  Narrow,
  Bytes,
}

/** Words compared in straight-line code (a longer pattern loops over the rest). */
const STRAIGHT_WORDS = 4;

/** A byte sequence to look for at a position of a buffer read through a DataView. */
export class BytePattern {
  readonly length: number;
  private readonly kind: WordKind;
  /** Words compared (of `kind`); the last one may overlap the one before. */
  private readonly count: number;
  // The first four words' offsets and values, as fields: compared without a loop (a loop per pattern,
  // inlined into the scanner a dozen times, made its optimized code slow to compile).
  private readonly at0: number;
  private readonly at1: number;
  private readonly at2: number;
  private readonly at3: number;
  private readonly word0: number;
  private readonly word1: number;
  private readonly word2: number;
  private readonly word3: number;
  /** Every word's offset and value (for the words past the fourth), and the bytes of a pattern under 4 bytes. */
  private readonly offsets: Int32Array;
  private readonly words: Float64Array;
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
    let offsets: number[];
    let words: number[];
    if (wideAt.length > 0 && wide.every((value) => !Number.isNaN(value) && value !== 0)) {
      this.kind = WordKind.Wide;
      offsets = wideAt;
      words = wide;
    } else if (length >= 4) {
      this.kind = WordKind.Narrow;
      offsets = wordOffsets(length, 4);
      words = offsets.map((at) => view.getInt32(at, true));
    } else {
      this.kind = WordKind.Bytes;
      offsets = [];
      words = [];
    }
    this.count = offsets.length;
    this.offsets = Int32Array.from(offsets);
    this.words = Float64Array.from(words);
    this.at0 = offsets[0] ?? 0;
    this.at1 = offsets[1] ?? 0;
    this.at2 = offsets[2] ?? 0;
    this.at3 = offsets[3] ?? 0;
    this.word0 = words[0] ?? 0;
    this.word1 = words[1] ?? 0;
    this.word2 = words[2] ?? 0;
    this.word3 = words[3] ?? 0;
  }

  /** Whether `view` holds the pattern at `at`; the caller made sure `at + length` is within the view. */
  matchesAt(view: DataView, at: number): boolean {
    const count = this.count;
    if (count > STRAIGHT_WORDS && !this.matchesFrom(view, at, STRAIGHT_WORDS)) return false;
    switch (this.kind) {
      case WordKind.Wide:
        return (
          view.getFloat64(at + this.at0, true) === this.word0 &&
          (count < 2 || view.getFloat64(at + this.at1, true) === this.word1) &&
          (count < 3 || view.getFloat64(at + this.at2, true) === this.word2) &&
          (count < 4 || view.getFloat64(at + this.at3, true) === this.word3)
        );
      case WordKind.Narrow:
        return (
          view.getInt32(at + this.at0, true) === this.word0 &&
          (count < 2 || view.getInt32(at + this.at1, true) === this.word1) &&
          (count < 3 || view.getInt32(at + this.at2, true) === this.word2) &&
          (count < 4 || view.getInt32(at + this.at3, true) === this.word3)
        );
      default:
        return this.bytesMatchAt(view, at);
    }
  }

  /** The words from index `first` on (a pattern longer than the straight-line ones). */
  private matchesFrom(view: DataView, at: number, first: number): boolean {
    const { offsets, words } = this;
    for (let w = first; w < offsets.length; w += 1) {
      const offset = at + (offsets[w] as number);
      const value = this.kind === WordKind.Wide ? view.getFloat64(offset, true) : view.getInt32(offset, true);
      if (value !== words[w]) return false;
    }
    return true;
  }

  /** A pattern under 4 bytes, byte by byte. */
  private bytesMatchAt(view: DataView, at: number): boolean {
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
