import { formatErrorChain, type CheckpointSource } from '@tau/schemas';
import { CheckpointRestoreError } from './checkpoint-errors.js';
import { loadCheckpoint, type LoadedCheckpoint } from './load-checkpoint.js';

/** The checkpoint a recovery restores from, where it came from, and what went wrong on the way. */
export interface CheckpointRestore {
  readonly checkpoint: LoadedCheckpoint;
  readonly source: CheckpointSource;
  /** `primary checkpoint load failed: <cause>` when the fallback was used; empty otherwise. */
  readonly diagnostics: string[];
}

/**
 * Loads the primary checkpoint, or, when that fails for any reason (missing,
 * unreadable, corrupt, digest mismatch), the fallback, recording the primary's
 * failure in `diagnostics`. When both fail, throws `CheckpointRestoreError`
 * carrying both causes.
 */
export function loadCheckpointWithFallback(primaryPath: string, fallbackPath: string): CheckpointRestore {
  let primaryCause: unknown;
  try {
    return { checkpoint: loadCheckpoint(primaryPath), source: 'primary', diagnostics: [] };
  } catch (error) {
    primaryCause = error;
  }
  try {
    const checkpoint = loadCheckpoint(fallbackPath);
    return {
      checkpoint,
      source: 'fallback',
      diagnostics: [`primary checkpoint load failed: ${formatErrorChain(primaryCause)}`],
    };
  } catch (fallbackCause) {
    throw new CheckpointRestoreError(primaryCause, fallbackCause);
  }
}
