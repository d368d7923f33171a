import type { PolicyCheckpointHeader } from '@tau/schemas';
import { checkDigest, digestSidecarPath } from './checkpoint-digest.js';
import { checkpointValidationFailure } from './checkpoint-errors.js';
import { validateCheckpointScan, type CheckpointStateBytes } from './checkpoint-validation.js';
import { readCheckpointFile } from './read-checkpoint-file.js';

/** A checkpoint that loaded and passed Tau's rules. */
export interface LoadedCheckpoint {
  /** The path as given (a symlink is followed, not resolved in this field). */
  readonly path: string;
  /** The top-level fields, without the two state objects. */
  readonly header: PolicyCheckpointHeader;
  /** File size in bytes. */
  readonly bytes: number;
  /** true: the `.sha256` sidecar matched; null: there is no sidecar (a mismatch throws). */
  readonly digest_verified: boolean | null;
  /** The file's sha256 when a sidecar was checked, else null. */
  readonly sha256: string | null;
  /** Byte length of the JSON text of each state object. */
  readonly state_bytes: CheckpointStateBytes;
}

/**
 * Loads and validates a policy checkpoint in one streaming pass (memory does
 * not grow with the file; small files take a faster in-memory path with the
 * same verdicts). `policy_state` and `optimizer_state` are checked to be JSON
 * objects without being materialized. When `<path>.sha256` exists it is
 * verified in the same pass. Throws `CheckpointLoadError`: `read checkpoint
 * <path>`, `read checkpoint digest <path>.sha256` or `parse checkpoint JSON
 * <path>` with the precise cause (REFERENCE.md's messages), a bare
 * `CheckpointFormatError` for a broken rule (`missing required checkpoint
 * field \`run_id\``, as Tau), or `CheckpointDigestError` (`checkpoint digest mismatch`).
 */
export function loadCheckpoint(path: string): LoadedCheckpoint {
  const facts = readCheckpointFile(path, { alwaysHash: false });
  let validated;
  try {
    validated = validateCheckpointScan(facts.scan);
  } catch (cause) {
    throw checkpointValidationFailure(path, cause);
  }
  if (facts.sidecarDigests !== undefined && facts.sha256 !== undefined) {
    checkDigest(facts.sidecarDigests, facts.sha256, digestSidecarPath(path));
  }
  return {
    path,
    header: validated.header,
    bytes: facts.bytes,
    digest_verified: facts.sidecarDigests === undefined ? null : true,
    sha256: facts.sidecarDigests === undefined ? null : (facts.sha256 ?? null),
    state_bytes: validated.state_bytes,
  };
}
