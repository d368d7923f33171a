import * as z from 'zod/mini';
import { describeJsonValue } from './json-value-description.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A SHA-256 digest as 64 lowercase hex digits (audit chain hashes). */
export const sha256HexSchema = z.string({ error: (issue) => `expected a SHA-256 hex digest, got ${describeJsonValue(issue.input)}` }).check(
  z.regex(SHA256_HEX, { error: (issue) => `expected 64 lowercase hex digits (SHA-256), got ${describeJsonValue(issue.input)}` }),
);
