import * as z from 'zod/mini';
import { describeJsonValue } from './json-value-description.js';

/** The text every over-range integer message carries, so operators can grep for it. */
export const EXCEEDS_SAFE_INTEGER_TEXT = 'exceeds 2^53-1 (9007199254740991)';

function u64IssueMessage(issue: { code: string; input?: unknown }): string {
  const { input } = issue;
  if (input === undefined) return 'missing required field (expected a non-negative integer)';
  if (typeof input === 'number' && Number.isInteger(input) && input > Number.MAX_SAFE_INTEGER) {
    return `integer ${input} ${EXCEEDS_SAFE_INTEGER_TEXT}`;
  }
  return `expected a non-negative integer, got ${describeJsonValue(input)}`;
}

/**
 * An unsigned 64-bit integer field as far as JavaScript can hold it exactly:
 * a non-negative safe integer. Larger values fail with "exceeds 2^53-1" rather
 * than being rounded (`parseJsonStrict` catches them in the text even earlier).
 */
export const u64Schema = z.int({ error: u64IssueMessage }).check(z.minimum(0, { error: u64IssueMessage }));
