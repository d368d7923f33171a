// What a scan of a checkpoint's bytes yields: the kind of the root value and,
// for a root object, each member's key and a summary of its value. Both the
// streaming scanner and the small-file fast path produce exactly this, and one
// validator judges it, so both paths give the same verdict.

/** The kind of a JSON value. */
export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'true' | 'false' | 'null';

/**
 * Raw bytes (a key or scalar token, quotes included) are kept only up to this
 * length; longer ones are summarized by their length. Every checkpoint field
 * name and sane scalar is far shorter, and memory stays bounded for hostile files.
 */
export const MAX_CAPTURED_TOKEN_BYTES = 64 * 1024;

/** One member of the root object. */
export interface TopLevelMember {
  /** The raw key token (with quotes), or undefined when longer than the capture limit. */
  readonly rawKey: Uint8Array | undefined;
  readonly kind: JsonKind;
  /** The raw value token of a string or number within the capture limit, else undefined. */
  readonly rawValue: Uint8Array | undefined;
  /** Byte length of the value's JSON text. */
  readonly valueBytes: number;
}

/** The outcome of scanning a syntactically valid JSON document. */
export interface TopLevelScan {
  readonly rootKind: JsonKind;
  /** Members of the root object in document order (empty for any other root). */
  readonly members: readonly TopLevelMember[];
}

/** The document is not valid JSON (or not UTF-8); `offset` is the byte where that shows. */
export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
  readonly offset: number;

  constructor(reason: string, offset: number) {
    super(reason);
    this.offset = offset;
  }
}
