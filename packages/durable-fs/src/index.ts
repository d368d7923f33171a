/**
 * @tau/durable-fs: the file operations whose ordering decides whether a crash
 * at the worst moment loses data, the per-state-directory lock, and the crash
 * failpoints (`TAU_PO_FAILPOINT`) that test them. All synchronous.
 */
export { replaceFileAtomically } from './atomic-replace.js';
/** What `replaceFileAtomically` writes: a string, bytes, or an iterable of such pieces (streamed, never held whole). */
export type { FileContent } from './file-content.js';
export { appendLineDurably } from './durable-append.js';
/** Whether a write to a path can succeed (nothing, a regular file, or a link to one), observed and decided apart. */
export { observeWriteTarget, writeTargetProblem, type WriteTargetObservation } from './write-target.js';
export type { FileKind } from './file-kind.js';
export { truncateFileDurably } from './durable-truncate.js';
export { renameFileDurably } from './durable-rename.js';
export { ensureDirectory, fsyncDirectory } from './directory.js';
export { removeStaleTempFiles } from './stale-temp-files.js';
export { acquireStateDirLock, readStateDirLock, STATE_DIR_LOCK_FILE } from './state-dir-lock.js';
export type { StateDirLock } from './state-dir-lock.js';
export type { LockHolder } from './lock-record.js';
export { StateDirBusyError } from './state-dir-busy-error.js';
export { DurableFsError } from './durable-fs-error.js';
export { FailpointSpecError } from './failpoint-spec.js';
export type { DurableOperationKind } from './failpoint-spec.js';
