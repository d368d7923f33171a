import { formatErrorChain, type PolicyCheckpointHeader } from '@tau/schemas';
import { checkDigest, digestSidecarPath } from './checkpoint-digest.js';
import { checkpointValidationFailure } from './checkpoint-errors.js';
import { validateCheckpointScan, type CheckpointStateBytes } from './checkpoint-validation.js';
import { readCheckpointFile } from './read-checkpoint-file.js';

/** What `tau-po checkpoint verify` reports about one checkpoint file. */
export interface CheckpointVerification {
  readonly path: string;
  /** Whether `loadCheckpoint` would accept the file. */
  readonly valid: boolean;
  /** Why not: the error chain joined with `: `, or null. */
  readonly error: string | null;
  readonly bytes: number | null;
  readonly header: PolicyCheckpointHeader | null;
  /** Byte length of the JSON text of each state object. */
  readonly state_bytes: CheckpointStateBytes | null;
  /** The file's sha256 (computed whether or not there is a sidecar), or null when unreadable. */
  readonly sha256: string | null;
  readonly digest: {
    readonly sidecar_path: string;
    /** Digests the sidecar lists; null when there is no sidecar. */
    readonly expected: readonly string[] | null;
    /** true / false when a sidecar exists and the file could be hashed, else null. */
    readonly matches: boolean | null;
  };
}

/**
 * Checks a checkpoint the way `loadCheckpoint` does and reports everything
 * found (header, sizes, digest) instead of throwing.
 */
export function verifyCheckpoint(path: string): CheckpointVerification {
  const sidecarPath = digestSidecarPath(path);
  let facts;
  try {
    facts = readCheckpointFile(path, { alwaysHash: true });
  } catch (error) {
    return {
      path, valid: false, error: formatErrorChain(error), bytes: null, header: null, state_bytes: null, sha256: null,
      digest: { sidecar_path: sidecarPath, expected: null, matches: null },
    };
  }
  const expected = facts.sidecarDigests ?? null;
  const sha256 = facts.sha256 ?? null;
  const matches = expected === null || sha256 === null ? null : expected.includes(sha256);
  const digest = { sidecar_path: sidecarPath, expected, matches };
  let validated;
  try {
    validated = validateCheckpointScan(facts.scan);
  } catch (cause) {
    const error = checkpointValidationFailure(path, cause);
    return {
      path, valid: false, error: formatErrorChain(error), bytes: facts.bytes, header: null, state_bytes: null,
      sha256, digest,
    };
  }
  let digestError: string | null = null;
  try {
    if (expected !== null && sha256 !== null) checkDigest(expected, sha256, sidecarPath);
  } catch (error) {
    digestError = formatErrorChain(error);
  }
  return {
    path, valid: digestError === null, error: digestError, bytes: facts.bytes, header: validated.header,
    state_bytes: validated.state_bytes, sha256, digest,
  };
}
