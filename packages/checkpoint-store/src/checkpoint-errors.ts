// Errors of this package. Each message is one phrase; the detail is the cause.
import { formatErrorChain } from '@tau/schemas';

/** Loading one checkpoint file failed: `read checkpoint <path>` or `parse checkpoint JSON <path>`. */
export class CheckpointLoadError extends Error {
  override name = 'CheckpointLoadError';
}

/** The checkpoint's content breaks Tau's rules (a missing field, a wrong type, ...). */
export class CheckpointFormatError extends Error {
  override name = 'CheckpointFormatError';
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
