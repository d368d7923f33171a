import { findDuplicateJsonKey } from './json-duplicate-keys.js';
import { formatFieldPath } from './json-value-description.js';
import { lineAndColumnAt, locateJsonOffset, type JsonLocation } from './json-location.js';
import { EXCEEDS_SAFE_INTEGER_TEXT } from './u64.js';

/** The JSON text itself is unusable: empty, BOM, syntax error, or an integer JavaScript would round. */
export class InvalidJsonTextError extends Error {
  override name = 'InvalidJsonTextError';
  /** Where the problem is, when it has a place (syntax errors and unsafe integers). */
  readonly location: JsonLocation | undefined;

  constructor(message: string, options: { cause?: unknown; location?: JsonLocation } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.location = options.location;
  }
}

// No integer token can exceed 2^53-1 (16 digits) without a run of 16 digits somewhere.
const LONG_DIGIT_RUN = /\d{16}/;
const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER);

function isUnsafeIntegerLiteral(digits: string): boolean {
  return digits.length > MAX_SAFE_DIGITS.length || (digits.length === MAX_SAFE_DIGITS.length && digits > MAX_SAFE_DIGITS);
}

/** Index just past the closing quote of the string starting at `open` (the text is valid JSON). */
function endOfString(text: string, open: number): number {
  let quote = text.indexOf('"', open + 1);
  for (;;) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    quote = text.indexOf('"', quote + 1);
  }
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/**
 * The first integer literal outside a string whose magnitude exceeds 2^53-1, if
 * any. A plain loop rather than a tokenizing regex: V8's regex engine overflows
 * its stack on multi-megabyte string literals.
 */
function findUnsafeIntegerLiteral(text: string): { offset: number; literal: string } | undefined {
  if (!LONG_DIGIT_RUN.test(text)) return undefined;
  const length = text.length;
  let i = 0;
  while (i < length) {
    const code = text.charCodeAt(i);
    if (code === 0x22 /* " */) {
      i = endOfString(text, i);
    } else if (code === 0x2d /* - */ || isDigit(code)) {
      const start = i;
      const digitsStart = code === 0x2d ? i + 1 : i;
      i = digitsStart;
      while (i < length && isDigit(text.charCodeAt(i))) i += 1;
      const next = text.charCodeAt(i);
      const isInteger = next !== 0x2e /* . */ && next !== 0x65 /* e */ && next !== 0x45; /* E */
      if (isInteger && isUnsafeIntegerLiteral(text.slice(digitsStart, i))) {
        return { offset: start, literal: text.slice(start, i) };
      }
      // Skip a fraction or exponent; its digits are not an integer literal.
      while (i < length) {
        const part = text.charCodeAt(i);
        if (!isDigit(part) && part !== 0x2e && part !== 0x65 && part !== 0x45 && part !== 0x2b && part !== 0x2d) break;
        i += 1;
      }
    } else {
      i += 1;
    }
  }
  return undefined;
}

function describeLocation(location: JsonLocation): string {
  return `line ${location.line}, column ${location.column}`;
}

function syntaxErrorLocation(text: string, error: unknown): JsonLocation | undefined {
  const position = /at position (\d+)/.exec(error instanceof Error ? error.message : '');
  if (position === null) return undefined;
  return { path: [], ...lineAndColumnAt(text, Number(position[1])) };
}

/**
 * `JSON.parse` that refuses what Tau (serde_json) refuses or what JavaScript
 * would silently change: an empty text, a leading UTF-8 byte order mark, and any
 * integer literal beyond ±(2^53-1) anywhere in the document (even in keys we do
 * not know, since we may rewrite them), and a key repeated within one object
 * (compared after decoding escapes). Hand-written because no JSON library
 * checks this without costing a second full parse; the scan only runs when the
 * text contains a 16-digit run.
 */
export function parseJsonStrict(text: string): unknown {
  if (text.length === 0) throw new InvalidJsonTextError('file is empty');
  if (text.charCodeAt(0) === 0xfeff) {
    throw new InvalidJsonTextError('file starts with a UTF-8 byte order mark (Tau rejects it too; remove it)');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // Checked only after a failure: trimming a large valid file would copy it.
    if (/^[ \t\r\n]*$/.test(text)) throw new InvalidJsonTextError('file is empty apart from whitespace');
    const location = syntaxErrorLocation(text, error);
    const where = location === undefined ? '' : ` at ${describeLocation(location)}`;
    throw new InvalidJsonTextError(`invalid JSON${where}`, { cause: error, location });
  }
  const unsafe = findUnsafeIntegerLiteral(text);
  if (unsafe !== undefined) {
    const location = locateJsonOffset(text, unsafe.offset);
    const field = location.path.length === 0 ? '' : `field \`${formatFieldPath(location.path)}\`: `;
    const bound = unsafe.literal.startsWith('-') ? 'is below -(2^53-1) (-9007199254740991)' : EXCEEDS_SAFE_INTEGER_TEXT;
    throw new InvalidJsonTextError(`${field}integer ${unsafe.literal} ${bound} at ${describeLocation(location)}`, {
      location,
    });
  }
  const duplicate = findDuplicateJsonKey(text);
  if (duplicate !== undefined) {
    const location = locateJsonOffset(text, duplicate.offset);
    // The located path ends with the previous key of the same object; its parent is the object.
    const objectPath = location.path.slice(0, -1);
    const parent = objectPath.length === 0 ? '' : ` in \`${formatFieldPath(objectPath)}\``;
    throw new InvalidJsonTextError(
      `duplicate key ${JSON.stringify(duplicate.key)}${parent} at ${describeLocation(location)}`,
      { location: { ...location, path: objectPath } },
    );
  }
  return value;
}
