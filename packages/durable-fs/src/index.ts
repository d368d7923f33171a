/**
 * @tau/durable-fs: the file operations whose ordering decides whether a crash
 * at the worst moment loses data, the per-state-directory lock, and the crash
 * failpoints (`TAU_PO_FAILPOINT`) that test them. All synchronous.
 */
export { replaceFileAtomically } from './atomic-replace.js';
/** What `replaceFileAtomically` writes: a string, bytes, or an iterable of such pieces (streamed, never held whole). */
export { utf8PiecesOf, type FileContent } from './file-content.js';
export { appendLineDurably } from './durable-append.js';
/** Whether a write to a path can succeed (nothing, a regular file, or a link to one), observed and decided apart. */
export { observeWriteTarget, writeTargetProblem, type WriteTargetObservation } from './write-target.js';
export type { FileKind } from '@tau/schemas';
export { truncateFileDurably } from './durable-truncate.js';
export { renameFileDurably } from './durable-rename.js';
export { ensureDirectory, fsyncDirectory } from './directory.js';
export { removeStaleTempFiles } from './stale-temp-files.js';
/** The per-state-directory lock: take, inspect (holder and verdict), break (operator), release. */
export {
  acquireStateDirLock,
  breakStateDirLock,
  discardBrokenLock,
  inspectStateDirLock,
  readStateDirLock,
  STATE_DIR_LOCK_FILE,
} from './state-dir-lock.js';
export type { BrokenStateDirLock, StateDirLock, StateDirLockInspection } from './state-dir-lock.js';
export { printableLockText, type LockHolder } from './lock-holder.js';
export type { LockRecord } from './lock-record.js';
/** Pure: whether a lock's holder is alive, provably stale, or cannot be judged, and why. */
export {
  explainLockJudgement,
  judgeLockHolder,
  type HolderProcessProbe,
  type LockJudgement,
  type LockObserver,
} from './lock-holder-judgement.js';
export { StateDirBusyError } from './state-dir-busy-error.js';
export { LockPathNotAFileError, type LockPathEntry } from './lock-path-error.js';
export { DurableFsError } from './durable-fs-error.js';
export { FailpointSpecError } from './failpoint-spec.js';
export type { DurableOperationKind } from './failpoint-spec.js';
