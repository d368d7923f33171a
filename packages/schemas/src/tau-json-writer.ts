import { formatF64LikeSerde } from './serde-float-format.js';

/** Marks a number that Tau declares as f64, so it is written `1.0` rather than `1`. */
export class F64Value {
  constructor(readonly value: number) {}
}

/** A JSON value ready to be written: plain JSON plus `F64Value` markers; key order is insertion order. */
export type TauJsonValue = null | boolean | number | string | F64Value | TauJsonValue[] | { [key: string]: TauJsonValue };

function writeNumber(value: number): string {
  // Integers are written as integers; any other number is an f64 in serde's layout.
  return Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER ? String(value) : formatF64LikeSerde(value);
}

function writeValue(value: TauJsonValue, indent: string | undefined, depth: number): string {
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
  const isArray = Array.isArray(value);
  const entries: string[] = [];
  const childIndent = indent === undefined ? '' : `\n${indent.repeat(depth + 1)}`;
  if (isArray) {
    for (const item of value) entries.push(childIndent + writeValue(item, indent, depth + 1));
  } else {
    const separator = indent === undefined ? ':' : ': ';
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      entries.push(`${childIndent}${JSON.stringify(key)}${separator}${writeValue(item, indent, depth + 1)}`);
    }
  }
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return open + close;
  const closing = indent === undefined ? '' : `\n${indent.repeat(depth)}`;
  return `${open}${entries.join(',')}${closing}${close}`;
}

/**
 * Writes JSON byte-for-byte as serde_json does: `to_string_pretty` (two-space
 * indent, `"key": value`, empty containers as `[]`/`{}`) or `to_string`
 * (compact). No trailing newline. Hand-written because JSON.stringify cannot
 * write an integral f64 as `1.0`.
 */
export function writeTauJson(value: TauJsonValue, style: 'pretty' | 'compact'): string {
  return writeValue(value, style === 'pretty' ? '  ' : undefined, 0);
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
