// The checkpoints route. Verifying a checkpoint reads and hashes the whole
// file (hundreds of megabytes, synchronously), so a verification is kept per
// path and reused while the checkpoint and its digest sidecar are the same
// files with the same size, mtime and ctime: a dashboard polling this route
// costs a few stat calls, and a checkpoint the trainer rewrites is verified again.
import fs from 'node:fs';
import { verifyCheckpoint, type CheckpointVerification, type StateDirPaths } from '@tau/recovery';
import type { ApiCheckpointCard, ApiCheckpoints } from '@tau/schemas';

const verifications = new Map<string, { key: string; verification: CheckpointVerification }>();
const MAX_CACHED = 256;

function statKey(filePath: string): string {
  const stat = fs.statSync(filePath, { throwIfNoEntry: false, bigint: true });
  return stat === undefined ? 'absent' : `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
}

/** `verifyCheckpoint`, reused while neither the file nor its sidecar changed. */
function verifyCheckpointCached(filePath: string): CheckpointVerification {
  const key = `${statKey(filePath)}|${statKey(`${filePath}.sha256`)}`;
  const hit = verifications.get(filePath);
  if (hit !== undefined && hit.key === key) return hit.verification;
  const verification = verifyCheckpoint(filePath);
  verifications.delete(filePath);
  if (verifications.size >= MAX_CACHED) verifications.delete(verifications.keys().next().value!);
  verifications.set(filePath, { key, verification });
  return verification;
}

function cardOf(verification: CheckpointVerification): ApiCheckpointCard {
  const { header } = verification;
  return {
    path: verification.path,
    exists: fs.existsSync(verification.path),
    size_bytes: verification.bytes,
    header:
      header === null
        ? null
        : {
            checkpoint_version: header.checkpoint_version,
            run_id: header.run_id,
            global_step: header.global_step,
            optimizer_step: header.optimizer_step,
            saved_at_unix_seconds: header.saved_at_unix_seconds,
          },
    digest: verification.digest.matches === null ? 'absent' : verification.digest.matches ? 'verified' : 'mismatch',
    error: verification.error,
  };
}

/**
 * Both checkpoints as `checkpoint verify` sees them, and which one a resume
 * would restore: the first that loads, primary before fallback, as
 * @tau/checkpoint-store's `loadCheckpointWithFallback` tries them.
 */
export function checkpointCardsOf(paths: StateDirPaths): ApiCheckpoints {
  const primary = verifyCheckpointCached(paths.primaryCheckpoint);
  const fallback = verifyCheckpointCached(paths.fallbackCheckpoint);
  return {
    primary: cardOf(primary),
    fallback: cardOf(fallback),
    resume_would_use: primary.valid ? 'primary' : fallback.valid ? 'fallback' : null,
  };
}
