// The fast path of audit replay: validates one line as JSON byte by byte and
// picks out the few top-level fields replay needs, without building any object.
// Hand-written because JSON.parse of a million rows costs more than the whole
// replay budget (it materializes every key and value); no JSON library offers
// "validate and extract five keys" over a byte range.
//
// The scanner never reports an error itself. It either accepts a line (and
// fills its fields) or declines it, and a declined line goes through the simple
// path (`parseAuditRow`, JSON.parse based), which decides and explains. It
// declines anything out of the ordinary (escapes in keys, integers of 16+
// digits, non-plain timestamps, nesting deeper than 64, a key outside the
// row's known keys, any repeated key, a nested object: the simple path rejects
// repeated keys at every depth)
// so that its fast answers stay trivially equal to the simple path's; a
// property test checks that equality.
import { isUtf8 } from 'node:buffer';
import { BytePattern } from './byte-pattern.js';
import { latin1Text } from './latin1-text.js';
import type { AuditRowFields } from './audit-row-fields.js';
import type { LifecycleState } from '@tau/schemas';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** Principals compared byte-wise before a row's is decoded (a log's operators and services, typically a handful). */
const RECENT_PRINCIPALS_KEPT = 8;

/** Deeper values are declined (the simple path handles them): keeps recursion bounded. */
const MAX_DEPTH = 64;
/** Integer literals this long may exceed 2^53-1; the simple path decides. */
const MAX_FAST_INTEGER_DIGITS = 15;

// 1 for bytes that may appear unescaped in a JSON string and need no attention.
const PLAIN_STRING_BYTE = new Uint8Array(256);
for (let byte = 0x20; byte < 0x80; byte += 1) PLAIN_STRING_BYTE[byte] = 1;
PLAIN_STRING_BYTE[QUOTE] = 0;
PLAIN_STRING_BYTE[BACKSLASH] = 0;

// 1 for the characters that may follow a backslash (other than `u`).
const SIMPLE_ESCAPE = new Uint8Array(256);
for (const char of '"\\/bfnrt') SIMPLE_ESCAPE[char.charCodeAt(0)] = 1;

const HEX_DIGIT = new Uint8Array(256);
for (const char of '0123456789abcdefABCDEF') HEX_DIGIT[char.charCodeAt(0)] = 1;

function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

const LITERAL_TRUE = bytesOf('true');
const LITERAL_FALSE = bytesOf('false');
const LITERAL_NULL = bytesOf('null');

const KEY_ACTION = bytesOf('action');
const KEY_PRINCIPAL = bytesOf('principal');
const KEY_IDEMPOTENT = bytesOf('idempotent');
const KEY_PREV_SHA256 = bytesOf('prev_sha256');
const KEY_LIFECYCLE_STATE = bytesOf('lifecycle_state');
const KEY_TIMESTAMP = bytesOf('timestamp_unix_ms');

// Known strings by byte length, so a row's action or lifecycle is matched with one comparison
// and yields a shared string instead of a freshly decoded one.
const KNOWN_ACTION_BY_LENGTH: { text: string; bytes: Uint8Array; pattern: BytePattern }[][] = [];
for (const text of ['pause', 'resume', 'cancel', 'rollback', 'status']) {
  (KNOWN_ACTION_BY_LENGTH[text.length] ??= []).push({ text, bytes: bytesOf(text), pattern: new BytePattern(bytesOf(text)) });
}
// The four lifecycle states have distinct lengths.
const LIFECYCLE_STATE_BY_LENGTH: { text: LifecycleState; bytes: Uint8Array; pattern: BytePattern }[] = [];
for (const text of ['running', 'paused', 'cancelled', 'rollback_requested'] as const) {
  LIFECYCLE_STATE_BY_LENGTH[text.length] = { text, bytes: bytesOf(text), pattern: new BytePattern(bytesOf(text)) };
}

const enum Key {
  Other,
  Action,
  Principal,
  Idempotent,
  PrevSha256,
  LifecycleState,
  Timestamp,
}

/** The keys of an audit row in the order Tau (and `serializeAuditRow`) writes them. */
const KEYS_IN_WRITE_ORDER: { bytes: Uint8Array; key: Key }[] = [
  ['schema_version', Key.Other],
  ['timestamp_unix_ms', Key.Timestamp],
  ['principal', Key.Principal],
  ['action', Key.Action],
  ['action_key', Key.Other],
  ['lifecycle_state', Key.LifecycleState],
  ['idempotent', Key.Idempotent],
  ['rollback_checkpoint', Key.Other],
  ['recovery_checkpoint_source', Key.Other],
  ['prev_sha256', Key.PrevSha256],
  ['os_user', Key.Other],
  ['host', Key.Other],
  // Rows a command sent through the control API carries (after every other key, as `serializeAuditRow` orders them).
  ['auth', Key.Other],
  ['client_address', Key.Other],
].map(([text, key]) => ({ bytes: bytesOf(text as string), key: key as Key }));

/** `"key":` of each key in write order: the compact layout matches a key and its colon in one comparison. */
const KEY_PREFIXES_IN_WRITE_ORDER: BytePattern[] = KEYS_IN_WRITE_ORDER.map(
  ({ bytes }) => new BytePattern(bytesOf(`"${Buffer.from(bytes).toString('latin1')}":`)),
);

/** Whether any of the 4 bytes of `word` is not a plain string byte (a quote, backslash, control or non-ASCII byte). */
function hasSpecialStringByte(word: number): boolean {
  const quote = word ^ 0x22222222;
  const backslash = word ^ 0x5c5c5c5c;
  // The classic SWAR tests: a zero byte (of word ^ c: a byte equal to c), a byte below 0x20, the top bit.
  return (
    (((quote - 0x01010101) & ~quote) | ((backslash - 0x01010101) & ~backslash) | ((word - 0x20202020) & ~word) | word) & 0x80808080
  ) !== 0;
}

const SHA256_HEX_LENGTH = 64;

function rangeEquals(buf: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  if (end - start !== expected.length) return false;
  for (let i = 0; i < expected.length; i += 1) {
    if (buf[start + i] !== expected[i]) return false;
  }
  return true;
}

/** Index of the key in KEYS_IN_WRITE_ORDER, or -1 for a key a row does not have. */
function knownKeyIndex(buf: Uint8Array, start: number, end: number): number {
  for (let index = 0; index < KEYS_IN_WRITE_ORDER.length; index += 1) {
    if (rangeEquals(buf, start, end, (KEYS_IN_WRITE_ORDER[index] as { bytes: Uint8Array }).bytes)) return index;
  }
  return -1;
}

function classifyKey(buf: Uint8Array, start: number, end: number): Key {
  switch (end - start) {
    case 6:
      return rangeEquals(buf, start, end, KEY_ACTION) ? Key.Action : Key.Other;
    case 9:
      return rangeEquals(buf, start, end, KEY_PRINCIPAL) ? Key.Principal : Key.Other;
    case 10:
      return rangeEquals(buf, start, end, KEY_IDEMPOTENT) ? Key.Idempotent : Key.Other;
    case 11:
      return rangeEquals(buf, start, end, KEY_PREV_SHA256) ? Key.PrevSha256 : Key.Other;
    case 15:
      return rangeEquals(buf, start, end, KEY_LIFECYCLE_STATE) ? Key.LifecycleState : Key.Other;
    case 17:
      return rangeEquals(buf, start, end, KEY_TIMESTAMP) ? Key.Timestamp : Key.Other;
    default:
      return Key.Other;
  }
}

/** Whether `buf` holds `text`'s characters (all ASCII) from `start` on; the caller checked the length fits. */
function asciiEquals(buf: Uint8Array, start: number, text: string): boolean {
  for (let k = 0; k < text.length; k += 1) {
    if (buf[start + k] !== text.charCodeAt(k)) return false;
  }
  return true;
}

function isJsonWhitespace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === 0x0a;
}

/**
 * Validates one audit line and extracts its replay fields. Reuse one instance
 * for a whole log: the fields are overwritten by each successful `scan`, and
 * strings that repeat from row to row (principals, unknown actions) are reused
 * instead of decoded again.
 */
export class AuditRowScanner {
  /** The fields of the last accepted line (valid only after `scan` returned true). */
  readonly fields: AuditRowFields = {
    action: '',
    timestamp_unix_ms: undefined,
    principal: undefined,
    lifecycle_state: undefined,
    idempotent: undefined,
    prev_sha256: undefined,
  };

  private buf: Buffer = Buffer.alloc(0);
  /** A DataView of `viewOf` (the compact layout reads 4 bytes at a time); made anew when the buffer changes. */
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  private viewOf: Uint8Array | undefined;
  private end = 0;
  /** Set by `scanString`: the string held a backslash escape. */
  private escaped = false;
  /** Set by `scanString`: the line held a byte >= 0x80 (UTF-8 checked once at the end). */
  private nonAscii = false;
  /** Set by `scanNumber`: the number was plain digits (no sign, fraction or exponent). */
  private plainInteger = false;
  private sawAction = false;
  /** The principals seen last (each decoded once while it stays here), in a ring. */
  private readonly recentPrincipals: { pattern: BytePattern; text: string }[] = [];
  /** Where the next principal not among the recent ones goes, once they are `RECENT_PRINCIPALS_KEPT`. */
  private nextPrincipalSlot = 0;
  private readonly otherActions = new Map<string, string>();

  /**
   * The SHA-256 hex of the row before the next one scanned, when the caller
   * knows it (chain checking): a `prev_sha256` equal to it is taken as that
   * string without being scanned. Only plain lower-case hex is ever set here;
   * '' when there is none (always a string: a field that is sometimes
   * undefined made the optimized scanner deoptimize at each range's first row).
   */
  expectedPrevSha256 = '';

  /** The bytes holding the expected prev_sha256 as hex (`setExpectedPrevHex`), and a DataView of them. */
  private expectedPrevHex: Uint8Array = new Uint8Array(0);
  private expectedPrevHexView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  /** Where in `expectedPrevHex` its 64 digits start; -1: none expected. */
  private expectedPrevHexAt = -1;

  /**
   * Set by `scan`: the row's `prev_sha256` is the 64 bytes `setExpectedPrevHex`
   * named, matched in place. `fields.prev_sha256` is then left undefined: its
   * value is those bytes, and decoding it is the work this saves.
   */
  prevSha256MatchedHex = false;

  /** `wantPrevSha256`: decode `prev_sha256` (verify needs it; replay does not, and skips the string). */
  constructor(private readonly wantPrevSha256 = true) {}

  /**
   * The hash of the row before the next one scanned, as 64 hex digits at
   * `bytes[at]` (a range summary's hashes: `RowBatchHasher.hex`); -1: none.
   * Only lower-case hex digits may be named: a match is taken as a valid string.
   * A compact-layout `prev_sha256` of exactly those digits is compared word
   * by word and reported in `prevSha256MatchedHex` instead of being scanned
   * and decoded to a string (a million strings per million rows otherwise).
   */
  setExpectedPrevHex(bytes: Uint8Array, at: number): void {
    if (bytes !== this.expectedPrevHex) {
      this.expectedPrevHex = bytes;
      this.expectedPrevHexView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    this.expectedPrevHexAt = at;
  }

  /** Whether `buf[at, at + 64)` holds the expected hex and a quote follows (the caller checked a quote precedes). */
  private matchesExpectedPrevHex(view: DataView<ArrayBufferLike>, at: number, end: number): boolean {
    if (at + SHA256_HEX_LENGTH >= end || this.buf[at + SHA256_HEX_LENGTH] !== QUOTE) return false;
    const expected = this.expectedPrevHexView;
    const from = this.expectedPrevHexAt;
    for (let k = 0; k < SHA256_HEX_LENGTH; k += 4) {
      if (view.getInt32(at + k, true) !== expected.getInt32(from + k, true)) return false;
    }
    return true;
  }

  /**
   * Scans `buf[start, end)` (one line without its line ending). Returns true
   * when the line is a valid row and `fields` holds its values; false when the
   * simple path must decide (the line may still be valid).
   */
  scan(buf: Buffer, start: number, end: number): boolean {
    this.buf = buf;
    if (buf !== this.viewOf) {
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      this.viewOf = buf;
    }
    this.end = end;
    this.nonAscii = false;
    this.sawAction = false;
    this.prevSha256MatchedHex = false;
    const fields = this.fields;
    fields.timestamp_unix_ms = undefined;
    fields.principal = undefined;
    fields.lifecycle_state = undefined;
    fields.idempotent = undefined;
    fields.prev_sha256 = undefined;

    // Nearly every row is in the compact layout Tau and we write; a line that is not goes the whole way.
    if (this.scanCompactLayout(buf, start, end)) return true;
    fields.timestamp_unix_ms = undefined;
    fields.principal = undefined;
    fields.lifecycle_state = undefined;
    fields.idempotent = undefined;
    fields.prev_sha256 = undefined;
    this.sawAction = false;
    // The general scan decodes prev_sha256 whatever it holds.
    this.prevSha256MatchedHex = false;

    let i = this.skipWhitespace(start);
    if (this.peek(i) !== OPEN_BRACE) return false;
    i = this.scanTopLevelObject(i);
    if (i < 0) return false;
    i = this.skipWhitespace(i);
    if (i !== end || !this.sawAction) return false;
    return !this.nonAscii || isUtf8(buf.subarray(start, end));
  }

  /**
   * The compact layout: no whitespace, known keys in write order (any may be
   * missing), every string plain printable ASCII without escapes, numbers
   * plain integers, values of the kinds rows hold. Accepts only lines the
   * general scan accepts, with the same fields; false for anything else (the
   * caller then runs the general scan from the start). Straight-line code
   * with no token dispatch: this is where replay spends its time.
   */
  private scanCompactLayout(buf: Buffer, start: number, end: number): boolean {
    if (buf[start] !== OPEN_BRACE) return false;
    const view = this.view;
    const fields = this.fields;
    const prefixes = KEY_PREFIXES_IN_WRITE_ORDER;
    let i = start + 1;
    let position = 0;
    for (;;) {
      // The key at this position, or a later one (keys a row does not have are skipped).
      for (; position < prefixes.length; position += 1) {
        const prefix = prefixes[position] as BytePattern;
        if (i + prefix.length <= end && prefix.matchesAt(view, i)) break;
      }
      if (position === prefixes.length) return false;
      const key = (KEYS_IN_WRITE_ORDER[position] as { key: Key }).key;
      i += (prefixes[position] as (typeof prefixes)[number]).length;
      position += 1;
      const first = i < end ? (buf[i] as number) : -1;
      if (first === QUOTE && key === Key.PrevSha256 && this.expectedPrevHexAt >= 0 && this.matchesExpectedPrevHex(view, i + 1, end)) {
        // Plain hex digits: the string scan below would accept it, with this value.
        this.prevSha256MatchedHex = true;
        i += SHA256_HEX_LENGTH + 2;
      } else if (first === QUOTE) {
        const valueStart = i + 1;
        // A plain string: printable ASCII up to the closing quote (an escape, control or non-ASCII byte: decline).
        let j = valueStart;
        while (j + 4 <= end && !hasSpecialStringByte(view.getInt32(j, true))) j += 4;
        while (j < end && PLAIN_STRING_BYTE[buf[j] as number] === 1) j += 1;
        if (j >= end || buf[j] !== QUOTE) return false;
        i = j + 1;
        // A string timestamp or idempotent flag: the general scan reads it as absent.
        if (key === Key.Timestamp || key === Key.Idempotent) return false;
        // Keys come in write order here, so no second `action` reaches this. Stored here, not through
        // `storePlainString`: called from here, V8 also optimized that function on its own first, which took
        // as long as optimizing this whole one (measured with --trace-opt), on the one other core the replay has.
        if (key === Key.PrevSha256) {
          if (this.wantPrevSha256) fields.prev_sha256 = latin1Text(buf, valueStart, j);
        } else if (key === Key.Action) {
          this.sawAction = true;
          fields.action = this.actionText(valueStart, j);
        } else if (key === Key.Principal) {
          fields.principal = this.principalText(valueStart, j);
        } else if (key === Key.LifecycleState) {
          const state = LIFECYCLE_STATE_BY_LENGTH[j - valueStart];
          fields.lifecycle_state = state !== undefined && state.pattern.matchesAt(view, valueStart) ? state.text : undefined;
        }
      } else if (first > DIGIT_0 && first <= DIGIT_9) {
        // A plain positive integer of at most 15 digits (anything longer or with a fraction: decline).
        let value = first - DIGIT_0;
        let j = i + 1;
        while (j < end && (buf[j] as number) >= DIGIT_0 && (buf[j] as number) <= DIGIT_9) {
          value = value * 10 + ((buf[j] as number) - DIGIT_0);
          j += 1;
        }
        if (j - i > MAX_FAST_INTEGER_DIGITS) return false;
        if (key === Key.Timestamp) fields.timestamp_unix_ms = value;
        else if (key !== Key.Other) return false;
        i = j;
      } else if (first === 0x74 || first === 0x66) {
        const literal = first === 0x74 ? LITERAL_TRUE : LITERAL_FALSE;
        if (i + literal.length > end || !rangeEquals(buf, i, i + literal.length, literal)) return false;
        if (key === Key.Idempotent) fields.idempotent = first === 0x74;
        else if (key !== Key.Other) return false;
        i += literal.length;
      } else if (first === 0x6e) {
        if (key !== Key.Other || i + 4 > end || !rangeEquals(buf, i, i + 4, LITERAL_NULL)) return false;
        i += 4;
      } else {
        return false;
      }
      if (i >= end) return false;
      const next = buf[i] as number;
      if (next === CLOSE_BRACE) return i + 1 === end && this.sawAction;
      if (next !== COMMA) return false;
      i += 1;
    }
  }

  /** The byte at `i`, or -1 at or past the end of the line (the buffer may hold more data there). */
  private peek(i: number): number {
    return i < this.end ? (this.buf[i] as number) : -1;
  }

  private skipWhitespace(i: number): number {
    const { buf, end } = this;
    while (i < end && isJsonWhitespace(buf[i])) i += 1;
    return i;
  }

  private scanTopLevelObject(i: number): number {
    const { buf } = this;
    i = this.skipWhitespace(i + 1);
    if (this.peek(i) === CLOSE_BRACE) return i + 1;
    // One bit per known key: a repeated key is declined (the simple path rejects it).
    let seenKeys = 0;
    for (let position = 0; ; position += 1) {
      if (this.peek(i) !== QUOTE) return -1;
      const keyStart = i + 1;
      let key: Key;
      // Rows written by Tau or by us have their keys in one order: try the key
      // expected at this position first (an exact byte match, closing quote
      // included), and scan and classify the key only when it differs.
      const expected = KEYS_IN_WRITE_ORDER[position];
      if (
        expected !== undefined &&
        this.peek(keyStart + expected.bytes.length) === QUOTE &&
        rangeEquals(buf, keyStart, keyStart + expected.bytes.length, expected.bytes)
      ) {
        key = expected.key;
        i = keyStart + expected.bytes.length + 1;
        if ((seenKeys & (1 << position)) !== 0) return -1;
        seenKeys |= 1 << position;
      } else {
        i = this.scanString(i);
        if (i < 0 || this.escaped) return -1;
        const index = knownKeyIndex(buf, keyStart, i - 1);
        if (index < 0 || (seenKeys & (1 << index)) !== 0) return -1;
        seenKeys |= 1 << index;
        key = classifyKey(buf, keyStart, i - 1);
      }
      i = this.skipWhitespace(i);
      if (this.peek(i) !== COLON) return -1;
      i = this.skipWhitespace(i + 1);
      i = key === Key.Other ? this.scanValue(i, 1) : this.scanKnownValue(i, key);
      if (i < 0) return -1;
      i = this.skipWhitespace(i);
      const next = this.peek(i);
      if (next === CLOSE_BRACE) return i + 1;
      if (next !== COMMA) return -1;
      i = this.skipWhitespace(i + 1);
    }
  }

  private scanKnownValue(i: number, key: Key): number {
    const { buf, fields } = this;
    const first = this.peek(i);
    if (key === Key.Timestamp) {
      if (first >= DIGIT_0 && first <= DIGIT_9) {
        const end = this.scanNumber(i);
        if (end < 0 || !this.plainInteger) return -1;
        let value = 0;
        for (let j = i; j < end; j += 1) value = value * 10 + ((buf[j] as number) - DIGIT_0);
        fields.timestamp_unix_ms = value;
        return end;
      }
      // A negative or non-number timestamp is no timestamp; other numbers go to the simple path.
      if (first === MINUS) return -1;
      fields.timestamp_unix_ms = undefined;
      return this.scanValue(i, 1);
    }
    if (key === Key.Idempotent) {
      const end = this.scanValue(i, 1);
      fields.idempotent = first === 0x74 ? true : first === 0x66 ? false : undefined;
      return end;
    }
    if (first !== QUOTE) {
      if (key === Key.Action) return -1;
      if (key === Key.Principal) fields.principal = undefined;
      else if (key === Key.LifecycleState) fields.lifecycle_state = undefined;
      else fields.prev_sha256 = undefined;
      return this.scanValue(i, 1);
    }
    if (key === Key.PrevSha256) {
      // The usual case: the row names the previous row's hash (a digest, so plain ASCII hex). Matching
      // `"<that hash>"` byte for byte is the whole validation of this token, and the value is that
      // very string: no scan, no decoding, and the chain's comparison then finds the same string.
      const expected = this.expectedPrevSha256;
      if (expected.length === SHA256_HEX_LENGTH && this.wantPrevSha256 && this.peek(i + 1 + expected.length) === QUOTE && asciiEquals(buf, i + 1, expected)) {
        fields.prev_sha256 = expected;
        return i + 2 + expected.length;
      }
    }
    const nonAsciiBefore = this.nonAscii;
    this.nonAscii = false;
    const end = this.scanString(i);
    const valueNonAscii = this.nonAscii;
    this.nonAscii = nonAsciiBefore || valueNonAscii;
    if (end < 0) return -1;
    // Decoding a string with a stray byte would hide it; the simple path reports it.
    if (valueNonAscii && !isUtf8(buf.subarray(i, end))) return -1;
    if (this.escaped) {
      // Rare: let JSON.parse decode the (already validated) string token exactly.
      return this.storeString(key, JSON.parse(buf.toString('utf8', i, end)) as string) ? end : -1;
    }
    return this.storePlainString(key, i + 1, end - 1, valueNonAscii ? 'utf8' : 'latin1') ? end : -1;
  }

  /**
   * Stores the string value `buf[start, stop)` (valid, without escapes; in
   * `encoding`) of `key`, one of action, principal, lifecycle_state and
   * prev_sha256; false for a second `action` (the simple path reports it).
   */
  private storePlainString(key: Key, start: number, stop: number, encoding: 'latin1' | 'utf8'): boolean {
    const { fields } = this;
    switch (key) {
      case Key.Action:
        if (this.sawAction) return false;
        this.sawAction = true;
        fields.action = this.actionText(start, stop);
        return true;
      case Key.Principal:
        fields.principal = this.principalText(start, stop);
        return true;
      case Key.LifecycleState: {
        const state = LIFECYCLE_STATE_BY_LENGTH[stop - start];
        fields.lifecycle_state = state !== undefined && state.pattern.matchesAt(this.view, start) ? state.text : undefined;
        return true;
      }
      default:
        if (this.wantPrevSha256) fields.prev_sha256 = encoding === 'latin1' ? latin1Text(this.buf, start, stop) : this.buf.toString(encoding, start, stop);
        return true;
    }
  }

  /** Stores a decoded string value; false for a duplicate `action` (the simple path reports it). */
  private storeString(key: Key, text: string): boolean {
    const { fields } = this;
    switch (key) {
      case Key.Action:
        if (this.sawAction) return false;
        this.sawAction = true;
        fields.action = this.sharedAction(text);
        return true;
      case Key.Principal:
        fields.principal = text;
        return true;
      case Key.LifecycleState:
        fields.lifecycle_state = LIFECYCLE_STATE_BY_LENGTH[text.length]?.text === text ? (text as LifecycleState) : undefined;
        return true;
      default:
        fields.prev_sha256 = text;
        return true;
    }
  }

  private actionText(start: number, stop: number): string {
    const known = KNOWN_ACTION_BY_LENGTH[stop - start];
    if (known !== undefined) {
      for (const candidate of known) {
        if (candidate.pattern.matchesAt(this.view, start)) return candidate.text;
      }
    }
    return this.sharedAction(this.buf.toString('utf8', start, stop));
  }

  /**
   * The one string kept for an action spelled `text` (a replay holds a
   * million of them: one pointer each, not a million copies); `text` itself
   * when it is new. Known actions are shared constants.
   */
  sharedAction(text: string): string {
    const known = KNOWN_ACTION_BY_LENGTH[text.length]?.find((candidate) => candidate.text === text);
    if (known !== undefined) return known.text;
    const seen = this.otherActions.get(text);
    if (seen !== undefined) return seen;
    // Bounded: a log of all-distinct actions should not grow this map without end.
    if (this.otherActions.size < 1024) this.otherActions.set(text, text);
    return text;
  }

  private principalText(start: number, stop: number): string {
    // Logs repeat a few principals, mostly in long runs: compare bytes with the recent ones before decoding.
    // Kept in a ring, never reordered: a reordering that first ran after V8 optimized this threw the scan away.
    const recent = this.recentPrincipals;
    const length = stop - start;
    for (let index = 0; index < recent.length; index += 1) {
      const entry = recent[index] as { pattern: BytePattern; text: string };
      if (entry.pattern.length === length && entry.pattern.matchesAt(this.view, start)) return entry.text;
    }
    return this.rememberPrincipal(start, stop);
  }

  /** Decodes a principal not among the recent ones, and keeps it there in place of the oldest. */
  private rememberPrincipal(start: number, stop: number): string {
    const text = this.buf.toString('utf8', start, stop);
    const entry = { pattern: new BytePattern(this.buf.subarray(start, stop)), text };
    if (this.recentPrincipals.length < RECENT_PRINCIPALS_KEPT) this.recentPrincipals.push(entry);
    else this.recentPrincipals[this.nextPrincipalSlot] = entry;
    this.nextPrincipalSlot = (this.nextPrincipalSlot + 1) % RECENT_PRINCIPALS_KEPT;
    return text;
  }

  /** `buf[i]` is the opening quote; returns the index after the closing quote, or -1. */
  private scanString(i: number): number {
    const { buf, end } = this;
    this.escaped = false;
    i += 1;
    for (;;) {
      while (i < end && PLAIN_STRING_BYTE[buf[i] as number] === 1) i += 1;
      if (i >= end) return -1;
      const byte = buf[i] as number;
      if (byte === QUOTE) return i + 1;
      if (byte === BACKSLASH) {
        this.escaped = true;
        const escape = this.peek(i + 1);
        if (escape < 0) return -1;
        if (SIMPLE_ESCAPE[escape] === 1) {
          i += 2;
        } else if (escape === 0x75) {
          if (i + 6 > end) return -1;
          for (let j = i + 2; j < i + 6; j += 1) {
            if (HEX_DIGIT[buf[j] as number] !== 1) return -1;
          }
          i += 6;
        } else {
          return -1;
        }
      } else if (byte >= 0x80) {
        this.nonAscii = true;
        i += 1;
      } else {
        // A raw control character (< 0x20) is not allowed inside a JSON string.
        return -1;
      }
    }
  }

  /** JSON number grammar; sets `plainInteger`. Returns the index after it, or -1. */
  private scanNumber(i: number): number {
    const { buf, end } = this;
    const start = i;
    if (this.peek(i) === MINUS) i += 1;
    const intStart = i;
    const first = this.peek(i);
    if (first === DIGIT_0) {
      i += 1;
    } else if (first > DIGIT_0 && first <= DIGIT_9) {
      while (i < end && (buf[i] as number) >= DIGIT_0 && (buf[i] as number) <= DIGIT_9) i += 1;
    } else {
      return -1;
    }
    const intDigits = i - intStart;
    let plain = start === intStart;
    let integer = true;
    if (this.peek(i) === DOT) {
      integer = false;
      i += 1;
      const fracStart = i;
      while (i < end && (buf[i] as number) >= DIGIT_0 && (buf[i] as number) <= DIGIT_9) i += 1;
      if (i === fracStart) return -1;
    }
    const maybeExponent = this.peek(i);
    if (maybeExponent === 0x65 || maybeExponent === 0x45) {
      integer = false;
      i += 1;
      if (this.peek(i) === PLUS || this.peek(i) === MINUS) i += 1;
      const expStart = i;
      while (i < end && (buf[i] as number) >= DIGIT_0 && (buf[i] as number) <= DIGIT_9) i += 1;
      if (i === expStart) return -1;
    }
    // An integer literal that may not fit in 2^53-1 is for the simple path to judge.
    if (integer && intDigits > MAX_FAST_INTEGER_DIGITS) return -1;
    plain = plain && integer;
    this.plainInteger = plain;
    return i;
  }

  private scanLiteral(i: number, literal: Uint8Array): number {
    return rangeEquals(this.buf, i, Math.min(i + literal.length, this.end), literal) ? i + literal.length : -1;
  }

  /** Any JSON value starting at `buf[i]`; returns the index after it, or -1. */
  private scanValue(i: number, depth: number): number {
    const first = this.peek(i);
    switch (first) {
      case QUOTE:
        return this.scanString(i);
      case OPEN_BRACE:
        // Declined: repeated keys inside a nested object are the simple path's to reject.
        return -1;
      case OPEN_BRACKET:
        return this.scanArray(i, depth + 1);
      case 0x74:
        return this.scanLiteral(i, LITERAL_TRUE);
      case 0x66:
        return this.scanLiteral(i, LITERAL_FALSE);
      case 0x6e:
        return this.scanLiteral(i, LITERAL_NULL);
      default:
        if (first === MINUS || (first >= DIGIT_0 && first <= DIGIT_9)) return this.scanNumber(i);
        return -1;
    }
  }

  private scanObject(i: number, depth: number): number {
    if (depth > MAX_DEPTH) return -1;
    i = this.skipWhitespace(i + 1);
    if (this.peek(i) === CLOSE_BRACE) return i + 1;
    for (;;) {
      if (this.peek(i) !== QUOTE) return -1;
      i = this.scanString(i);
      if (i < 0) return -1;
      i = this.skipWhitespace(i);
      if (this.peek(i) !== COLON) return -1;
      i = this.scanValue(this.skipWhitespace(i + 1), depth);
      if (i < 0) return -1;
      i = this.skipWhitespace(i);
      const next = this.peek(i);
      if (next === CLOSE_BRACE) return i + 1;
      if (next !== COMMA) return -1;
      i = this.skipWhitespace(i + 1);
    }
  }

  private scanArray(i: number, depth: number): number {
    if (depth > MAX_DEPTH) return -1;
    i = this.skipWhitespace(i + 1);
    if (this.peek(i) === CLOSE_BRACKET) return i + 1;
    for (;;) {
      i = this.scanValue(i, depth);
      if (i < 0) return -1;
      i = this.skipWhitespace(i);
      const next = this.peek(i);
      if (next === CLOSE_BRACKET) return i + 1;
      if (next !== COMMA) return -1;
      i = this.skipWhitespace(i + 1);
    }
  }
}
