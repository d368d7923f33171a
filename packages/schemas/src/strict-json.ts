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

// Strings are matched whole so digits inside them are never mistaken for numbers.
const TOKEN_PATTERN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
// No integer token can exceed 2^53-1 (16 digits) without a run of 16 digits somewhere.
const LONG_DIGIT_RUN = /\d{16}/;
const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER);

function isUnsafeIntegerLiteral(digits: string): boolean {
  return digits.length > MAX_SAFE_DIGITS.length || (digits.length === MAX_SAFE_DIGITS.length && digits > MAX_SAFE_DIGITS);
}

/** The first integer literal outside a string whose magnitude exceeds 2^53-1, if any. */
function findUnsafeIntegerLiteral(text: string): { offset: number; literal: string } | undefined {
  if (!LONG_DIGIT_RUN.test(text)) return undefined;
  TOKEN_PATTERN.lastIndex = 0;
  for (let match = TOKEN_PATTERN.exec(text); match !== null; match = TOKEN_PATTERN.exec(text)) {
    const token = match[0];
    if (token.charCodeAt(0) === 0x22 || token.length < MAX_SAFE_DIGITS.length) continue;
    if (/[.eE]/.test(token)) continue;
    const digits = token.charCodeAt(0) === 0x2d ? token.slice(1) : token;
    if (isUnsafeIntegerLiteral(digits)) return { offset: match.index, literal: token };
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
 * not know, since we may rewrite them). Hand-written because no JSON library
 * checks this without costing a second full parse; the scan only runs when the
 * text contains a 16-digit run.
 */
export function parseJsonStrict(text: string): unknown {
  if (text.length === 0) throw new InvalidJsonTextError('file is empty');
  if (text.charCodeAt(0) === 0xfeff) {
    throw new InvalidJsonTextError('file starts with a UTF-8 byte order mark (Tau rejects it too; remove it)');
  }
  if (text.trim() === '') throw new InvalidJsonTextError('file is empty apart from whitespace');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
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
  return value;
}
