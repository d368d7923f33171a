import type * as z from 'zod/mini';
import {
  ArtifactParseError,
  ArtifactReadError,
  ArtifactSerializeError,
  ArtifactValidationError,
  UnsupportedSchemaVersionError,
  type ArtifactKind,
} from './artifact-errors.js';
import { describeFieldProblems, describeZodIssue, fieldProblemsFromIssues } from './field-problems.js';
import { SMALL_FILE_MAX_BYTES, readRegularFileIfExists } from './regular-file-read.js';
import { parseJsonStrict } from './strict-json.js';

/** Validates an already-parsed JSON value; the error names each failing field and what was expected. */
export function validateJsonValue<S extends z.ZodMiniType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value, { error: describeZodIssue });
  if (result.success) return result.data as z.infer<S>;
  const problems = fieldProblemsFromIssues(result.error.issues);
  throw new ArtifactValidationError(describeFieldProblems(problems), problems);
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses an artifact's text the way Tau reads it: strict JSON, then the schema
 * version (checked first, so a newer file reports its version, not some field
 * it renamed), then the rest of the schema. Every failure, the version included,
 * is an `ArtifactParseError` naming the file; its cause says what is wrong
 * (`UnsupportedSchemaVersionError` for another version). `validate` replaces
 * the plain schema check where an artifact checks part of itself another way.
 */
export function parseArtifactText<S extends z.ZodMiniType>(
  kind: ArtifactKind,
  schema: S,
  expectedVersion: number,
  text: string,
  path: string,
  validate: (value: unknown) => z.infer<S> = (value) => validateJsonValue(schema, value),
): z.infer<S> {
  let value: unknown;
  try {
    value = parseJsonStrict(text);
  } catch (error) {
    throw new ArtifactParseError(kind, path, { cause: error });
  }
  if (isJsonObject(value)) {
    const version = value['schema_version'];
    // Only a well-typed version can be "unsupported"; anything else is a schema error below.
    if (typeof version === 'number' && Number.isSafeInteger(version) && version >= 0 && version !== expectedVersion) {
      // Wrapped like any other parse failure: Tau's version message alone does not say which file.
      throw new ArtifactParseError(kind, path, {
        cause: new UnsupportedSchemaVersionError(kind, version, expectedVersion, path),
      });
    }
  }
  try {
    return validate(value);
  } catch (error) {
    throw new ArtifactParseError(kind, path, { cause: error });
  }
}

// fatal: reject invalid UTF-8 as serde does; ignoreBOM: keep a BOM so the parser can name it.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Largest accepted file per artifact. The recovery report lists one action
 * per audit row (about 14 bytes a row, pretty-printed), so it outgrows the
 * small-file cap near a million rows; its cap covers about 18M rows.
 */
export const ARTIFACT_MAX_BYTES: Record<ArtifactKind, number> = {
  control_state: SMALL_FILE_MAX_BYTES,
  training_status: SMALL_FILE_MAX_BYTES,
  recovery_report: 256 * 1024 * 1024,
  rbac_policy: SMALL_FILE_MAX_BYTES,
  audit_head: SMALL_FILE_MAX_BYTES,
};

/**
 * The file's text, or `undefined` when it does not exist. Anything but a
 * regular file, or a file above its cap, is an `ArtifactReadError` (opened
 * without blocking, refused unread).
 */
export function readArtifactFileText(kind: ArtifactKind, path: string): string | undefined {
  const bytes = readArtifactFileBytes(kind, path);
  return bytes === undefined ? undefined : decodeArtifactText(kind, path, bytes);
}

/** The file's bytes, or `undefined` when it does not exist; refused as `readArtifactFileText` refuses it. */
export function readArtifactFileBytes(kind: ArtifactKind, path: string): Buffer | undefined {
  try {
    return readRegularFileIfExists(path, { maxBytes: ARTIFACT_MAX_BYTES[kind] });
  } catch (error) {
    throw new ArtifactReadError(kind, path, { cause: error });
  }
}

/** The bytes as text; invalid UTF-8 is an `ArtifactReadError`, as serde refuses it. */
export function decodeArtifactText(kind: ArtifactKind, path: string, bytes: Uint8Array): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw new ArtifactReadError(kind, path, { cause: new Error('file is not valid UTF-8') });
  }
}

/** Validates a value before it is written, so we never produce a file Tau cannot read. */
export function validateForWrite<S extends z.ZodMiniType>(artifact: string, schema: S, value: unknown): z.infer<S> {
  try {
    return validateJsonValue(schema, value);
  } catch (error) {
    throw new ArtifactSerializeError(artifact, { cause: error });
  }
}
