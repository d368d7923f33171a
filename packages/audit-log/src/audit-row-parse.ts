// The simple path: one audit line to one row with JSON.parse. Every line the
// fast scanner declines comes here, so this is also where every row error is
// worded. It accepts exactly what Tau accepts (a JSON object with a string
// `action`), except where JavaScript would silently change the data.
import { isUtf8 } from 'node:buffer';
import { parseJsonStrict, type AuditReplayRow } from '@tau/schemas';

/** One audit line is not a valid row; the message says why, in one phrase. */
export class AuditRowError extends Error {
  override name = 'AuditRowError';
}

const BOM = [0xef, 0xbb, 0xbf];

function describeFound(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/**
 * How many top-level keys of a valid JSON object text decode to `key`.
 * JSON.parse keeps the last of duplicate keys, but serde (Tau's reader)
 * rejects a duplicate `action`, so we count them in the text.
 */
export function countTopLevelKey(text: string, key: string): number {
  let depth = 0;
  let count = 0;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '"') {
      const start = i;
      for (i += 1; text[i] !== '"'; i += 1) if (text[i] === '\\') i += 1;
      if (depth !== 1) continue;
      let next = i + 1;
      while (text[next] === ' ' || text[next] === '\t' || text[next] === '\r' || text[next] === '\n') next += 1;
      if (text[next] === ':' && JSON.parse(text.slice(start, i + 1)) === key) count += 1;
    } else if (char === '{' || char === '[') {
      depth += 1;
    } else if (char === '}' || char === ']') {
      depth -= 1;
    }
  }
  return count;
}

function mayHaveDuplicateAction(text: string): boolean {
  const first = text.indexOf('action');
  // A second spelling needs a second literal `action` or a \u escape.
  return (first >= 0 && text.indexOf('action', first + 1) >= 0) || text.includes('\\u');
}

/**
 * Parses one non-blank audit line (without its line ending) into a row, or
 * throws `AuditRowError` naming what is wrong: a byte order mark, invalid
 * UTF-8, invalid JSON (with position), an integer beyond 2^53-1, a non-object,
 * a duplicate `action`, or an `action` that is missing or not a string.
 */
export function parseAuditRow(bytes: Uint8Array): AuditReplayRow {
  if (bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2]) {
    throw new AuditRowError('line starts with a UTF-8 byte order mark (Tau rejects it too; remove the 3 bytes)');
  }
  if (!isUtf8(bytes)) throw new AuditRowError('line is not valid UTF-8');
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  // Syntax errors (with position) and integers beyond 2^53-1 (never rounded) come from here.
  const value = parseJsonStrict(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AuditRowError(`row is not a JSON object (found ${describeFound(value)})`);
  }
  if (mayHaveDuplicateAction(text) && countTopLevelKey(text, 'action') > 1) {
    throw new AuditRowError('row has a duplicate `action` key');
  }
  const action = (value as Record<string, unknown>).action;
  if (action === undefined) throw new AuditRowError('row has no `action` field');
  if (typeof action !== 'string') throw new AuditRowError(`\`action\` must be a string (found ${describeFound(action)})`);
  return value as AuditReplayRow;
}
