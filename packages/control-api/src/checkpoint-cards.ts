import fs from 'node:fs';
import { verifyCheckpoint, type CheckpointVerification, type StateDirPaths } from '@tau/recovery';
import type { ApiCheckpointCard, ApiCheckpoints } from '@tau/schemas';

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
  const primary = verifyCheckpoint(paths.primaryCheckpoint);
  const fallback = verifyCheckpoint(paths.fallbackCheckpoint);
  return {
    primary: cardOf(primary),
    fallback: cardOf(fallback),
    resume_would_use: primary.valid ? 'primary' : fallback.valid ? 'fallback' : null,
  };
}
