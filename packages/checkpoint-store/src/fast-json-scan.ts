// The small-file path: V8's native JSON.parse (after strict UTF-8 decoding)
// decides validity, then a light skim of the root object's members (which can
// assume valid JSON) yields the same summary the streaming scanner would. When
// JSON.parse rejects the text, the streaming scanner is run over the same bytes
// to find and describe the error, so messages never depend on the file's size.
import { scanJsonBytes } from './streaming-json-scanner.js';
import {
  JsonSyntaxError,
  MAX_CAPTURED_TOKEN_BYTES,
  type JsonKind,
  type TopLevelMember,
  type TopLevelScan,
} from './top-level-scan.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function isWhitespace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function kindAt(byte: number | undefined): JsonKind {
  switch (byte) {
    case 0x7b: return 'object';
    case 0x5b: return 'array';
    case 0x22: return 'string';
    case 0x74: return 'true';
    case 0x66: return 'false';
    case 0x6e: return 'null';
    default: return 'number';
  }
}

/** Index just past the string token starting at `start` (a quote). */
function skipString(bytes: Uint8Array, start: number): number {
  let i = start + 1;
  for (;;) {
    const byte = bytes[i];
    if (byte === 0x22) return i + 1;
    i += byte === 0x5c ? 2 : 1;
  }
}

/** Index just past the value of `kind` starting at `start`. */
function skipValue(bytes: Uint8Array, start: number, kind: JsonKind): number {
  switch (kind) {
    case 'string':
      return skipString(bytes, start);
    case 'true':
    case 'null':
      return start + 4;
    case 'false':
      return start + 5;
    case 'number': {
      let i = start + 1;
      for (;;) {
        const byte = bytes[i];
        const inNumber = byte !== undefined && ((byte >= 0x30 && byte <= 0x39) || byte === 0x2e || byte === 0x65 ||
          byte === 0x45 || byte === 0x2b || byte === 0x2d);
        if (!inNumber) return i;
        i += 1;
      }
    }
    default: {
      let depth = 0;
      let i = start;
      for (;;) {
        const byte = bytes[i];
        if (byte === 0x22) {
          i = skipString(bytes, i);
          continue;
        }
        if (byte === 0x7b || byte === 0x5b) depth += 1;
        else if (byte === 0x7d || byte === 0x5d) {
          depth -= 1;
          if (depth === 0) return i + 1;
        }
        i += 1;
      }
    }
  }
}

function skipWhitespace(bytes: Uint8Array, start: number): number {
  let i = start;
  while (isWhitespace(bytes[i])) i += 1;
  return i;
}

function capture(bytes: Uint8Array, start: number, end: number): Uint8Array | undefined {
  // A copy, so a summary does not keep the whole file's buffer alive.
  return end - start <= MAX_CAPTURED_TOKEN_BYTES ? new Uint8Array(bytes.subarray(start, end)) : undefined;
}

/** Summarizes the root of a document already known to be valid JSON. */
function skimValidJson(bytes: Uint8Array): TopLevelScan {
  let i = skipWhitespace(bytes, 0);
  const rootKind = kindAt(bytes[i]);
  const members: TopLevelMember[] = [];
  if (rootKind !== 'object') return { rootKind, members };
  i = skipWhitespace(bytes, i + 1);
  while (bytes[i] !== 0x7d) {
    const keyStart = i;
    i = skipString(bytes, i);
    const rawKey = capture(bytes, keyStart, i);
    i = skipWhitespace(bytes, skipWhitespace(bytes, i) + 1); // past ':'
    const kind = kindAt(bytes[i]);
    const valueStart = i;
    i = skipValue(bytes, i, kind);
    const rawValue = kind === 'string' || kind === 'number' ? capture(bytes, valueStart, i) : undefined;
    members.push({ rawKey, kind, rawValue, valueBytes: i - valueStart });
    i = skipWhitespace(bytes, i);
    if (bytes[i] === 0x2c) i = skipWhitespace(bytes, i + 1);
  }
  return { rootKind, members };
}

/**
 * Scans an in-memory document: the same summary and the same errors as the
 * streaming scanner, faster for small files.
 */
export function scanJsonBytesFast(bytes: Uint8Array): TopLevelScan {
  let valid: boolean;
  try {
    JSON.parse(strictUtf8.decode(bytes));
    valid = true;
  } catch {
    valid = false;
  }
  if (valid) return skimValidJson(bytes);
  scanJsonBytes(bytes); // throws the precise JsonSyntaxError
  throw new JsonSyntaxError('invalid JSON (rejected by JSON.parse)', 0);
}
