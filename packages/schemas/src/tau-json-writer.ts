import { formatF64LikeSerde } from './serde-float-format.js';

/** Marks a number that Tau declares as f64, so it is written `1.0` rather than `1`. */
export class F64Value {
  constructor(readonly value: number) {}
}

/** A JSON value ready to be written: plain JSON plus `F64Value` markers; key order is insertion order. */
export type TauJsonValue =
  | null
  | boolean
  | number
  | string
  | F64Value
  | TauJsonValue[]
  | TauJsonSequence
  | { [key: string]: TauJsonValue };

/**
 * Any other iterable, written as an array: a compact list (a byte per entry)
 * that would cost far more memory as a JS array, e.g. ten million replayed
 * actions. Plain objects are not iterable, so they stay objects.
 */
export interface TauJsonSequence extends Iterable<TauJsonValue> {
  readonly length: number;
  /**
   * The entries as codes into a table of the distinct strings, when that is
   * how the sequence holds them (`@tau/audit-log`'s action list): written
   * from one text per distinct string, with no iteration step per entry.
   */
  toCodes?(): TauJsonStringCodes;
}

/** A sequence of strings as codes: entry `i` is `table[code i]`, the codes in order across `chunks`. */
export interface TauJsonStringCodes {
  readonly table: readonly unknown[];
  readonly chunks: readonly (Uint8Array | Uint32Array)[];
}

function writeNumber(value: number): string {
  // Integers are written as integers; any other number is an f64 in serde's layout.
  return Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER ? String(value) : formatF64LikeSerde(value);
}

/** Default piece size of `writeTauJsonChunks`, in UTF-16 code units. */
export const TAU_JSON_CHUNK_CHARS = 64 * 1024;

/** The text of a value that is not a container, or undefined for an array or object. */
function scalarText(value: TauJsonValue): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return writeNumber(value);
    case 'string':
      // JSON.stringify escapes exactly what serde_json escapes (", \, control characters).
      return JSON.stringify(value);
  }
  if (value instanceof F64Value) return formatF64LikeSerde(value.value);
  return undefined;
}

type TauJsonContainer = TauJsonValue[] | TauJsonSequence | { [key: string]: TauJsonValue };

function isSequence(value: TauJsonContainer): value is TauJsonValue[] | TauJsonSequence {
  return Array.isArray(value) || Symbol.iterator in value;
}

/** Strings at most this long have their JSON text remembered (actions, states; not free text). */
const REMEMBERED_STRING_MAX_LENGTH = 64;
/** At most this many distinct strings are remembered per document. */
const REMEMBERED_STRING_LIMIT = 1024;

/**
 * Collects the text in `parts` and hands it out, joined, whenever it reaches
 * `chunkChars`, so a document with a million array elements never exists as
 * one string. Containers recurse through generators; scalars (most of a big
 * document) are appended inline, separators are built once per container and
 * a short string's JSON text once per distinct string: for a million
 * replayed actions this halves the time (about 50 ms instead of 105 ms).
 */
class TauJsonChunkWriter {
  private readonly parts: string[] = [];
  private partsLength = 0;
  private readonly rememberedText = new Map<string, string>();

  constructor(
    private readonly indent: string | undefined,
    private readonly chunkChars: number,
  ) {}

  *document(value: TauJsonValue): Generator<string, void, undefined> {
    if (!this.appendScalar(value)) yield* this.container(value as TauJsonContainer, 0);
    if (this.partsLength > 0) yield this.takeParts();
  }

  private append(text: string): void {
    this.parts.push(text);
    this.partsLength += text.length;
  }

  private takeParts(): string {
    const text = this.parts.join('');
    this.parts.length = 0;
    this.partsLength = 0;
    return text;
  }

  private scalarText(value: TauJsonValue): string | undefined {
    if (typeof value !== 'string' || value.length > REMEMBERED_STRING_MAX_LENGTH) return scalarText(value);
    let text = this.rememberedText.get(value);
    if (text === undefined) {
      text = JSON.stringify(value);
      if (this.rememberedText.size < REMEMBERED_STRING_LIMIT) this.rememberedText.set(value, text);
    }
    return text;
  }

  private *container(value: TauJsonContainer, depth: number): Generator<string, void, undefined> {
    const { indent } = this;
    const isArray = isSequence(value);
    const childIndent = indent === undefined ? '' : `\n${indent.repeat(depth + 1)}`;
    const separator = `,${childIndent}`;
    this.append(isArray ? '[' : '{');
    let written = 0;
    // Scalars are appended here, not through a generator call: one generator per element would be the churn.
    const codes = isArray ? this.stringCodesOf(value) : undefined;
    if (codes !== undefined) {
      written = yield* this.codedStrings(codes, childIndent, separator);
    } else if (isArray) {
      // A short string after the first element: its separator and text, remembered as one piece per
      // distinct string (a million replayed actions are a handful of strings).
      const afterSeparator = new Map<string, string>();
      for (const item of value as Iterable<TauJsonValue>) {
        if (written > 0 && typeof item === 'string' && item.length <= REMEMBERED_STRING_MAX_LENGTH) {
          let text = afterSeparator.get(item);
          if (text === undefined) {
            text = separator + JSON.stringify(item);
            if (afterSeparator.size < REMEMBERED_STRING_LIMIT) afterSeparator.set(item, text);
          }
          this.append(text);
        } else {
          this.append(written === 0 ? childIndent : separator);
          if (!this.appendScalar(item)) yield* this.container(item as TauJsonContainer, depth + 1);
        }
        written += 1;
        if (this.partsLength >= this.chunkChars) yield this.takeParts();
      }
    } else {
      const keySeparator = indent === undefined ? ':' : ': ';
      for (const [key, item] of Object.entries(value as { [key: string]: TauJsonValue })) {
        if (item === undefined) continue;
        this.append(`${written === 0 ? childIndent : separator}${JSON.stringify(key)}${keySeparator}`);
        if (!this.appendScalar(item)) yield* this.container(item as TauJsonContainer, depth + 1);
        written += 1;
        if (this.partsLength >= this.chunkChars) yield this.takeParts();
      }
    }
    if (written > 0 && indent !== undefined) this.append(`\n${indent.repeat(depth)}`);
    this.append(isArray ? ']' : '}');
  }

  /**
   * The codes of a sequence that holds its strings as codes, when its table
   * is strings only (anything else is written entry by entry, as any sequence).
   */
  private stringCodesOf(value: TauJsonValue[] | TauJsonSequence): TauJsonStringCodes | undefined {
    if (Array.isArray(value) || typeof value.toCodes !== 'function') return undefined;
    const codes = value.toCodes();
    return codes.table.every((entry) => typeof entry === 'string') ? codes : undefined;
  }

  /** Appends the entries of a coded sequence of strings, handing out pieces as any array does; returns the number of entries. */
  private *codedStrings(codes: TauJsonStringCodes, firstIndent: string, separator: string): Generator<string, number, undefined> {
    const entries = new CodedStringTexts(codes, firstIndent, separator);
    for (;;) {
      this.partsLength += entries.take(this.parts, this.chunkChars - this.partsLength);
      if (this.partsLength < this.chunkChars) return entries.written;
      yield this.takeParts();
    }
  }

  /** Appends a scalar's text; false (nothing appended) for an array or object. */
  private appendScalar(value: TauJsonValue): boolean {
    const text = this.scalarText(value);
    if (text === undefined) return false;
    this.append(text);
    return true;
  }
}

/**
 * The texts of a coded sequence's entries, each with its separator: one
 * string per distinct entry, made once, then one array load per entry. For
 * a million replayed actions this replaces an iterator step and a map
 * lookup per entry. A plain method called per piece, not a loop inside the
 * generator: on Node 20 the same loop ran half as fast inside a generator,
 * even once optimized.
 */
class CodedStringTexts {
  private readonly first: string[];
  private readonly later: string[];
  private chunkIndex = 0;
  private index = 0;
  /** Entries taken so far. */
  written = 0;

  constructor(
    private readonly codes: TauJsonStringCodes,
    firstIndent: string,
    separator: string,
  ) {
    const table = codes.table as readonly string[];
    this.first = table.map((text) => firstIndent + JSON.stringify(text));
    this.later = table.map((text) => separator + JSON.stringify(text));
  }

  /** Appends entries' texts to `texts` until they are `wanted` code units long or none is left; returns their length. */
  take(texts: string[], wanted: number): number {
    const { chunks } = this.codes;
    let length = 0;
    if (this.written === 0 && this.chunkIndex < chunks.length) {
      // The first entry has the indent without the comma (a sequence may start with empty chunks).
      while (this.chunkIndex < chunks.length && (chunks[this.chunkIndex] as Uint8Array | Uint32Array).length === 0) this.chunkIndex += 1;
      if (this.chunkIndex === chunks.length) return 0;
      const text = this.textOf(this.first, (chunks[this.chunkIndex] as Uint8Array | Uint32Array)[0] as number);
      texts.push(text);
      length += text.length;
      this.index = 1;
      this.written = 1;
    }
    const { later } = this;
    while (length < wanted && this.chunkIndex < chunks.length) {
      const chunk = chunks[this.chunkIndex] as Uint8Array | Uint32Array;
      const from = this.index;
      let index = from;
      for (; length < wanted && index < chunk.length; index += 1) {
        const text = later[chunk[index] as number] ?? this.textOf(later, chunk[index] as number);
        texts.push(text);
        length += text.length;
      }
      this.written += index - from;
      if (index < chunk.length) {
        this.index = index;
      } else {
        this.chunkIndex += 1;
        this.index = 0;
      }
    }
    return length;
  }

  /** The text for `code`; a code outside the table is a broken sequence. */
  private textOf(texts: string[], code: number): string {
    const text = texts[code];
    if (text === undefined) throw new RangeError(`a coded sequence holds code ${code}, outside its table of ${texts.length} strings`);
    return text;
  }
}

/**
 * The text of `writeTauJson(value, style)` in pieces: each piece but the last
 * has at least `chunkChars` UTF-16 code units, and exceeds that by at most one
 * scalar's text plus its indent and key (a scalar is never split). Their concatenation is exactly
 * `writeTauJson`'s result, which is this joined: one writer, not two. For
 * documents too big to hold as one string (a recovery report of a million
 * replayed actions), written piece by piece.
 */
export function writeTauJsonChunks(
  value: TauJsonValue,
  style: 'pretty' | 'compact',
  chunkChars: number = TAU_JSON_CHUNK_CHARS,
): Generator<string, void, undefined> {
  return new TauJsonChunkWriter(style === 'pretty' ? '  ' : undefined, chunkChars).document(value);
}

/**
 * Writes JSON byte-for-byte as serde_json does: `to_string_pretty` (two-space
 * indent, `"key": value`, empty containers as `[]`/`{}`) or `to_string`
 * (compact). No trailing newline. Hand-written because JSON.stringify cannot
 * write an integral f64 as `1.0`.
 */
export function writeTauJson(value: TauJsonValue, style: 'pretty' | 'compact'): string {
  let text = '';
  // One piece: with an unbounded chunk size the writer hands out everything at the end.
  for (const piece of writeTauJsonChunks(value, style, Number.POSITIVE_INFINITY)) text += piece;
  return text;
}

/**
 * Copies `source` with `knownKeys` first in the given order (absent and
 * `undefined` ones skipped), then every other key in its original order, so
 * unknown keys survive a rewrite after Tau's. `convert` maps known values.
 */
export function orderKeys(
  source: Readonly<Record<string, unknown>>,
  knownKeys: readonly string[],
  convert: (key: string, value: unknown) => TauJsonValue | undefined = (_key, value) => value as TauJsonValue,
): { [key: string]: TauJsonValue } {
  // No prototype, so a `__proto__` key from a parsed file stays an ordinary key.
  const ordered = Object.create(null) as { [key: string]: TauJsonValue };
  for (const key of knownKeys) {
    const value = source[key];
    if (value === undefined) continue;
    const converted = convert(key, value);
    if (converted !== undefined) ordered[key] = converted;
  }
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined || knownKeys.includes(key)) continue;
    ordered[key] = value as TauJsonValue;
  }
  return ordered;
}
