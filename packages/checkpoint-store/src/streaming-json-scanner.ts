// A byte-level JSON validator fed in chunks. It checks the full JSON grammar
// (RFC 8259, as JSON.parse applies it: strings with valid escapes and no raw
// control characters, numbers without leading zeros, nothing after the value)
// plus strict UTF-8 (as `new TextDecoder('utf-8', { fatal: true })` decodes),
// and tracks nesting in a bit stack instead of recursing, so depth costs one bit
// per level and cannot overflow the call stack. Nothing is materialized except
// the raw tokens of the root object's keys and scalar values.
//
// Hand-written because no streaming JSON library validates a 1 GB document at
// 100 MB/s within 128 MiB: the event-based parsers build a string per token and
// call back per value, which costs several times that.
import {
  JsonSyntaxError,
  MAX_CAPTURED_TOKEN_BYTES,
  type JsonKind,
  type TopLevelMember,
  type TopLevelScan,
} from './top-level-scan.js';

/** Nesting beyond this is refused (the bit stack would pass 8 MiB). */
export const MAX_NESTING_DEPTH = 64 * 1024 * 1024;

const S_VALUE = 0; // a value must follow (document start, after ':' or an array's ',')
const S_ARRAY_FIRST = 1; // after '[': a value or ']'
const S_OBJECT_FIRST = 2; // after '{': a key or '}'
const S_KEY = 3; // after an object's ',': a key
const S_COLON = 4;
const S_AFTER_VALUE = 5; // ',' or the closing bracket
const S_END = 6; // only whitespace may follow the root value
const S_STRING = 7;
const S_ESCAPE = 8;
const S_UNICODE = 9;
const S_UTF8 = 10;
const S_NUM_MINUS = 11;
const S_NUM_ZERO = 12;
const S_NUM_INT = 13;
const S_NUM_DOT = 14;
const S_NUM_FRAC = 15;
const S_NUM_E = 16;
const S_NUM_E_SIGN = 17;
const S_NUM_EXP = 18;
const S_LITERAL = 19;
const S_BOM = 20; // the document starts with 0xef: a byte order mark, or just a bad byte

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const LITERAL_TRUE = Uint8Array.from([0x74, 0x72, 0x75, 0x65]);
const LITERAL_FALSE = Uint8Array.from([0x66, 0x61, 0x6c, 0x73, 0x65]);
const LITERAL_NULL = Uint8Array.from([0x6e, 0x75, 0x6c, 0x6c]);
const BYTE_ORDER_MARK = Uint8Array.from([0xef, 0xbb, 0xbf]);
const BOM_MESSAGE = 'file starts with a UTF-8 byte order mark (Tau rejects it too; remove it)';
const NOT_A_VALUE_EF = 'unexpected byte 0xef where a value was expected';

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

function isHexDigit(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
}

function describeByte(byte: number): string {
  if (byte >= 0x21 && byte <= 0x7e) return `character ${JSON.stringify(String.fromCharCode(byte))}`;
  return `byte 0x${byte.toString(16).padStart(2, '0')}`;
}

/**
 * Validates one JSON document fed as consecutive chunks; `finish()` returns the
 * root summary or throws `JsonSyntaxError` (as does `feed` on the first bad byte).
 */
export class StreamingJsonScanner {
  private state = S_VALUE;
  private depth = 0;
  /** Bit d set: the container at depth d+1 is an object. */
  private kinds = new Uint32Array(64);
  private stringIsKey = false;
  private hexRemaining = 0;
  private utf8Remaining = 0;
  private utf8Low = 0x80;
  private utf8High = 0xbf;
  private literal: Uint8Array = LITERAL_TRUE;
  private literalIndex = 0;
  /** Bytes consumed by earlier chunks. */
  private base = 0;

  private rootKind: JsonKind | undefined;
  private readonly members: TopLevelMember[] = [];
  // The member of the root object being read.
  private memberKey: Uint8Array | undefined;
  private memberKind: JsonKind = 'null';
  private memberStart = 0;
  private memberRaw: Uint8Array | undefined;
  // Capture of a root-member key or scalar token that may span chunks.
  private capturing = false;
  private captureFrom = 0;
  private captureParts: Uint8Array[] = [];
  private captureLength = 0;

  /** Scans the next chunk of the document. */
  feed(chunk: Uint8Array): void {
    const n = chunk.length;
    let i = 0;
    let state = this.state;
    try {
      while (i < n) {
        let byte = chunk[i] as number;
        switch (state) {
          case S_STRING: {
            // Hot loop: plain printable ASCII inside a string.
            while (byte !== QUOTE && byte !== BACKSLASH && byte >= 0x20 && byte < 0x80) {
              if (++i === n) break;
              byte = chunk[i] as number;
            }
            if (i === n) break;
            if (byte === QUOTE) {
              i += 1;
              state = this.endString(chunk, i);
            } else if (byte === BACKSLASH) {
              i += 1;
              state = S_ESCAPE;
            } else if (byte < 0x20) {
              throw this.error(`unescaped control character (${describeByte(byte)}) in a string`, i);
            } else {
              state = this.startUtf8Sequence(byte, i);
              i += 1;
            }
            continue;
          }
          case S_NUM_INT:
          case S_NUM_FRAC:
          case S_NUM_EXP: {
            while (isDigit(byte)) {
              if (++i === n) break;
              byte = chunk[i] as number;
            }
            if (i === n) break;
            if (state !== S_NUM_EXP && (byte === 0x65 || byte === 0x45)) {
              state = S_NUM_E;
              i += 1;
            } else if (state === S_NUM_INT && byte === 0x2e) {
              state = S_NUM_DOT;
              i += 1;
            } else {
              state = this.endValue(chunk, i);
            }
            continue;
          }
          case S_VALUE:
          case S_ARRAY_FIRST:
          case S_OBJECT_FIRST:
          case S_KEY:
          case S_COLON:
          case S_AFTER_VALUE:
          case S_END:
            if (isWhitespace(byte)) {
              i += 1;
              continue;
            }
            state = this.structural(state, byte, i);
            i += 1;
            continue;
          case S_ESCAPE:
            if (byte === 0x75) {
              this.hexRemaining = 4;
              state = S_UNICODE;
            } else if (
              byte === QUOTE || byte === BACKSLASH || byte === 0x2f || byte === 0x62 ||
              byte === 0x66 || byte === 0x6e || byte === 0x72 || byte === 0x74
            ) {
              state = S_STRING;
            } else {
              throw this.error(`invalid escape (${describeByte(byte)} after a backslash) in a string`, i);
            }
            i += 1;
            continue;
          case S_UNICODE:
            if (!isHexDigit(byte)) throw this.error(`invalid \\u escape (${describeByte(byte)}) in a string`, i);
            if (--this.hexRemaining === 0) state = S_STRING;
            i += 1;
            continue;
          case S_UTF8:
            if (byte < this.utf8Low || byte > this.utf8High) throw this.error(`invalid UTF-8 (${describeByte(byte)})`, i);
            this.utf8Low = 0x80;
            this.utf8High = 0xbf;
            if (--this.utf8Remaining === 0) state = S_STRING;
            i += 1;
            continue;
          case S_NUM_MINUS:
            if (byte === 0x30) state = S_NUM_ZERO;
            else if (isDigit(byte)) state = S_NUM_INT;
            else throw this.error(`unexpected ${describeByte(byte)} after '-' in a number`, i);
            i += 1;
            continue;
          case S_NUM_ZERO:
            if (byte === 0x2e) state = S_NUM_DOT;
            else if (byte === 0x65 || byte === 0x45) state = S_NUM_E;
            else if (isDigit(byte)) throw this.error('number with a leading zero', i);
            else {
              state = this.endValue(chunk, i);
              continue;
            }
            i += 1;
            continue;
          case S_NUM_DOT:
            if (!isDigit(byte)) throw this.error(`unexpected ${describeByte(byte)} after '.' in a number`, i);
            state = S_NUM_FRAC;
            i += 1;
            continue;
          case S_NUM_E:
            if (byte === 0x2b || byte === 0x2d) state = S_NUM_E_SIGN;
            else if (isDigit(byte)) state = S_NUM_EXP;
            else throw this.error(`unexpected ${describeByte(byte)} in a number's exponent`, i);
            i += 1;
            continue;
          case S_NUM_E_SIGN:
            if (!isDigit(byte)) throw this.error(`unexpected ${describeByte(byte)} in a number's exponent`, i);
            state = S_NUM_EXP;
            i += 1;
            continue;
          case S_BOM:
            if (byte !== BYTE_ORDER_MARK[this.literalIndex]) throw new JsonSyntaxError(NOT_A_VALUE_EF, 0);
            if (++this.literalIndex === BYTE_ORDER_MARK.length) throw new JsonSyntaxError(BOM_MESSAGE, 0);
            i += 1;
            continue;
          case S_LITERAL:
            if (byte !== this.literal[this.literalIndex]) {
              throw this.error(`unexpected ${describeByte(byte)} in literal ${new TextDecoder().decode(this.literal)}`, i);
            }
            i += 1;
            if (++this.literalIndex === this.literal.length) state = this.endValue(chunk, i);
            continue;
          default:
            throw new Error(`scanner reached unknown state ${state}`);
        }
      }
    } finally {
      this.state = state;
    }
    if (this.capturing) {
      this.appendCapture(chunk.subarray(this.captureFrom, n));
      this.captureFrom = 0;
    }
    this.base += n;
  }

  /** Ends the document; returns its summary or throws `JsonSyntaxError`. */
  finish(): TopLevelScan {
    const state = this.state;
    if (state === S_BOM) throw new JsonSyntaxError(NOT_A_VALUE_EF, 0);
    if (state === S_NUM_ZERO || state === S_NUM_INT || state === S_NUM_FRAC || state === S_NUM_EXP) {
      if (this.depth === 0) this.state = this.endValue(new Uint8Array(0), 0);
    }
    if (this.state !== S_END || this.rootKind === undefined) {
      if (this.rootKind === undefined && this.state === S_VALUE) {
        throw new JsonSyntaxError(this.base > 0 ? 'file is empty apart from whitespace' : 'file is empty', this.base);
      }
      throw new JsonSyntaxError('unexpected end of JSON input', this.base);
    }
    return { rootKind: this.rootKind, members: this.members };
  }

  private error(reason: string, index: number): JsonSyntaxError {
    return new JsonSyntaxError(reason, this.base + index);
  }

  /** Handles a non-whitespace byte where a structural token or a value starts. */
  private structural(state: number, byte: number, i: number): number {
    switch (state) {
      case S_VALUE:
      case S_ARRAY_FIRST:
        if (byte === 0x5d && state === S_ARRAY_FIRST) return this.closeContainer(false, byte, i);
        return this.startValue(byte, i);
      case S_OBJECT_FIRST:
        if (byte === 0x7d) return this.closeContainer(true, byte, i);
        return this.startKey(byte, i);
      case S_KEY:
        return this.startKey(byte, i);
      case S_COLON:
        if (byte !== 0x3a) throw this.error(`expected ':' after an object key, found ${describeByte(byte)}`, i);
        return S_VALUE;
      case S_AFTER_VALUE:
        if (byte === 0x2c) return this.topIsObject() ? S_KEY : S_VALUE;
        if (byte === 0x7d || byte === 0x5d) return this.closeContainer(byte === 0x7d, byte, i);
        throw this.error(`expected ',' or a closing bracket, found ${describeByte(byte)}`, i);
      default: // S_END
        throw this.error(`unexpected ${describeByte(byte)} after the JSON value`, i);
    }
  }

  private startValue(byte: number, i: number): number {
    if (byte === 0xef && this.base + i === 0) {
      this.literalIndex = 1;
      return S_BOM;
    }
    let kind: JsonKind;
    let next: number;
    switch (byte) {
      case 0x7b: kind = 'object'; next = S_OBJECT_FIRST; break;
      case 0x5b: kind = 'array'; next = S_ARRAY_FIRST; break;
      case QUOTE: kind = 'string'; next = S_STRING; this.stringIsKey = false; break;
      case 0x2d: kind = 'number'; next = S_NUM_MINUS; break;
      case 0x30: kind = 'number'; next = S_NUM_ZERO; break;
      case 0x74: kind = 'true'; next = S_LITERAL; this.literal = LITERAL_TRUE; break;
      case 0x66: kind = 'false'; next = S_LITERAL; this.literal = LITERAL_FALSE; break;
      case 0x6e: kind = 'null'; next = S_LITERAL; this.literal = LITERAL_NULL; break;
      default:
        if (byte >= 0x31 && byte <= 0x39) {
          kind = 'number';
          next = S_NUM_INT;
          break;
        }
        throw this.error(`unexpected ${describeByte(byte)} where a value was expected`, i);
    }
    if (next === S_LITERAL) this.literalIndex = 1;
    if (this.depth === 0) this.rootKind = kind;
    else if (this.depth === 1 && this.topIsObject()) {
      this.memberKind = kind;
      this.memberStart = this.base + i;
      this.memberRaw = undefined;
      if (kind === 'string' || kind === 'number') this.startCapture(i);
    }
    if (kind === 'object' || kind === 'array') this.push(kind === 'object', i);
    return next;
  }

  private startKey(byte: number, i: number): number {
    if (byte !== QUOTE) throw this.error(`expected a string key, found ${describeByte(byte)}`, i);
    this.stringIsKey = true;
    if (this.depth === 1) this.startCapture(i);
    return S_STRING;
  }

  /** A string's closing quote was consumed; `end` is the index after it. */
  private endString(chunk: Uint8Array, end: number): number {
    if (this.stringIsKey) {
      if (this.depth === 1) this.memberKey = this.finishCapture(chunk, end);
      return S_COLON;
    }
    return this.endValue(chunk, end);
  }

  /** A value ended just before `end` (a number is ended by the byte after it). */
  private endValue(chunk: Uint8Array, end: number): number {
    if (this.depth === 0) return S_END;
    if (this.depth === 1 && this.topIsObject()) {
      if (this.capturing) this.memberRaw = this.finishCapture(chunk, end);
      this.endMember(end);
    }
    return S_AFTER_VALUE;
  }

  private endMember(end: number): void {
    this.members.push({
      rawKey: this.memberKey,
      kind: this.memberKind,
      rawValue: this.memberRaw,
      valueBytes: this.base + end - this.memberStart,
    });
    this.memberKey = undefined;
    this.memberRaw = undefined;
  }

  private startUtf8Sequence(lead: number, i: number): number {
    if (lead >= 0xc2 && lead <= 0xdf) {
      this.utf8Remaining = 1;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      this.utf8Remaining = 2;
      if (lead === 0xe0) this.utf8Low = 0xa0; // no overlong forms
      if (lead === 0xed) this.utf8High = 0x9f; // no UTF-16 surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      this.utf8Remaining = 3;
      if (lead === 0xf0) this.utf8Low = 0x90;
      if (lead === 0xf4) this.utf8High = 0x8f; // nothing above U+10FFFF
    } else {
      throw this.error(`invalid UTF-8 (${describeByte(lead)})`, i);
    }
    return S_UTF8;
  }

  private topIsObject(): boolean {
    const level = this.depth - 1;
    return ((this.kinds[level >>> 5] as number) & (1 << (level & 31))) !== 0;
  }

  private push(isObject: boolean, i: number): void {
    const level = this.depth;
    if (level >= MAX_NESTING_DEPTH) throw this.error(`nesting deeper than ${MAX_NESTING_DEPTH} levels`, i);
    const word = level >>> 5;
    if (word >= this.kinds.length) {
      const grown = new Uint32Array(this.kinds.length * 2);
      grown.set(this.kinds);
      this.kinds = grown;
    }
    const bit = 1 << (level & 31);
    this.kinds[word] = isObject ? (this.kinds[word] as number) | bit : (this.kinds[word] as number) & ~bit;
    this.depth = level + 1;
  }

  private closeContainer(isObject: boolean, byte: number, i: number): number {
    if (this.depth === 0 || this.topIsObject() !== isObject) {
      throw this.error(`unexpected ${describeByte(byte)}`, i);
    }
    this.depth -= 1;
    if (this.depth === 0) return S_END;
    if (this.depth === 1 && this.topIsObject()) this.endMember(i + 1);
    return S_AFTER_VALUE;
  }

  private startCapture(i: number): void {
    this.capturing = true;
    this.captureFrom = i;
    this.captureParts = [];
    this.captureLength = 0;
  }

  private appendCapture(part: Uint8Array): void {
    if (this.captureLength <= MAX_CAPTURED_TOKEN_BYTES) {
      // Copy (Buffer#slice would not): the caller reuses its chunk buffer.
      if (this.captureLength + part.length <= MAX_CAPTURED_TOKEN_BYTES) this.captureParts.push(new Uint8Array(part));
      else this.captureParts = [];
    }
    this.captureLength += part.length;
  }

  private finishCapture(chunk: Uint8Array, end: number): Uint8Array | undefined {
    this.appendCapture(chunk.subarray(this.captureFrom, end));
    this.capturing = false;
    if (this.captureLength > MAX_CAPTURED_TOKEN_BYTES) return undefined;
    if (this.captureParts.length === 1) return this.captureParts[0];
    const whole = new Uint8Array(this.captureLength);
    let offset = 0;
    for (const part of this.captureParts) {
      whole.set(part, offset);
      offset += part.length;
    }
    return whole;
  }
}

/** Scans a whole in-memory document with the streaming scanner. */
export function scanJsonBytes(bytes: Uint8Array): TopLevelScan {
  const scanner = new StreamingJsonScanner();
  scanner.feed(bytes);
  return scanner.finish();
}
