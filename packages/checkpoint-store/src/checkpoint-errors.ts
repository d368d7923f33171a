// Errors of this package. Each message is one phrase; the detail is the cause.
import { formatErrorChain } from '@tau/schemas';

/** Loading one checkpoint file failed: `read checkpoint <path>` or `parse checkpoint JSON <path>`. */
export class CheckpointLoadError extends Error {
  override name = 'CheckpointLoadError';
}

/** The checkpoint's content breaks Tau's rules (a missing field, a wrong type, ...). Bare, as in Tau: no path, no wrapper. */
export class CheckpointFormatError extends Error {
  override name = 'CheckpointFormatError';
}

/**
 * A key repeated in the checkpoint object. Tau's reader (serde_json into a
 * `Value`) keeps the last one silently; we refuse it as a fault of the JSON
 * text, so it stays under `parse checkpoint JSON <path>`, naming the file.
 */
export class CheckpointDuplicateKeyError extends CheckpointFormatError {
  override name = 'CheckpointDuplicateKeyError';
}

/**
 * What a loader throws for a checkpoint that failed validation: Tau wraps only
 * reading and parsing with the path, so a broken rule is thrown bare, while a
 * repeated key (a JSON-text fault) is wrapped as a parse failure.
 */
export function checkpointValidationFailure(path: string, cause: unknown): Error {
  if (cause instanceof CheckpointDuplicateKeyError) return new CheckpointLoadError(`parse checkpoint JSON ${path}`, { cause });
  return cause instanceof Error ? cause : new CheckpointFormatError(String(cause));
}

/** The checkpoint does not hash to what its `.sha256` sidecar says. */
export class CheckpointDigestError extends Error {
  override name = 'CheckpointDigestError';
}

/** Saving a checkpoint failed: `save checkpoint <path>`. */
export class CheckpointSaveError extends Error {
  override name = 'CheckpointSaveError';
}

/**
 * Neither the primary nor the fallback checkpoint loads. The message carries
 * both causes in Tau's words: `primary checkpoint load failed: <chain>;
 * fallback checkpoint load failed: <chain>`.
 */
export class CheckpointRestoreError extends Error {
  override name = 'CheckpointRestoreError';
  readonly primaryCause: unknown;
  readonly fallbackCause: unknown;

  constructor(primaryCause: unknown, fallbackCause: unknown) {
    super(
      `primary checkpoint load failed: ${formatErrorChain(primaryCause)}; ` +
        `fallback checkpoint load failed: ${formatErrorChain(fallbackCause)}`,
    );
    this.primaryCause = primaryCause;
    this.fallbackCause = fallbackCause;
  }
}
