import * as z from 'zod/mini';
import { describeJsonValue } from './json-value-description.js';
import { u64Schema } from './u64.js';

/**
 * A Rust `Option<String>` field: Tau writes `null`, and (serde) reads a missing
 * key as `None`, so a missing key parses to `null` here too.
 */
export function nullableStringField() {
  return z._default(
    z.nullable(z.string({ error: (issue) => `expected a string or null, got ${describeJsonValue(issue.input)}` })),
    null,
  );
}

/** A Rust `Option<u64>` field: null or missing parses to `null`. */
export function nullableU64Field() {
  return z._default(z.nullable(u64Schema), null);
}

/** A Rust `Option<Enum>` field: null or missing parses to `null`. */
export function nullableEnumField<T extends z.core.SomeType>(schema: T) {
  return z._default(z.nullable(schema), null);
}
