/**
 * @tau/checkpoint-store: load (streaming, memory flat in file size), validate
 * with Tau's messages, fall back from primary to rollback checkpoint, and save
 * atomically with an optional sha256 sidecar.
 */
export { loadCheckpoint, type LoadedCheckpoint } from './load-checkpoint.js';
export { loadCheckpointWithFallback, type CheckpointRestore } from './load-with-fallback.js';
export { saveCheckpoint, type SaveCheckpointOptions, type SavedCheckpoint } from './save-checkpoint.js';
export { verifyCheckpoint, type CheckpointVerification } from './verify-checkpoint.js';
export {
  CheckpointDigestError,
  CheckpointFormatError,
  CheckpointLoadError,
  CheckpointRestoreError,
  CheckpointSaveError,
} from './checkpoint-errors.js';
export { JsonSyntaxError } from './top-level-scan.js';
