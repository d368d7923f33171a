import fs from 'node:fs';
import path from 'node:path';
import { countedFsync, countedRename, countedWritePieces } from './durable-operation.js';
import { DurableFsError } from './durable-fs-error.js';
import { fsyncDirectory } from './directory.js';
import { tempFileNameFor } from './temp-file-name.js';
import { utf8PiecesOf, type FileContent } from './file-content.js';
import { assertWriteTarget } from './write-target.js';

/**
 * The file a write to `filePath` should replace: the path itself, or, when it
 * is a symlink to a regular file, the file the link points to (so the link
 * survives and the rename stays within the target's file system). Anything
 * but a regular file or nothing is refused here, before the temp file exists.
 */
function resolveReplaceTarget(filePath: string): { target: string; mode: number | undefined } {
  const { entry } = assertWriteTarget(filePath);
  if (entry === 'absent') return { target: filePath, mode: undefined };
  const target = entry === 'symlink' ? fs.realpathSync(filePath) : filePath;
  return { target, mode: fs.statSync(target).mode & 0o7777 };
}

function removeQuietly(filePath: string): void {
  try {
    fs.rmSync(filePath, { force: true });
  } catch {
    // The original failure matters more; a leftover temp file is cleaned up later.
  }
}

/**
 * Replaces the contents of `filePath` atomically and durably: a temp file in
 * the same directory is written, fsynced, renamed over the target, and the
 * directory is fsynced. At every instant the target holds either its old or
 * its new contents, complete. An existing file's permission bits are kept.
 * A symlink to a regular file has that file replaced; a dangling symlink, a
 * directory or any other non-regular file is refused before anything is
 * written. A crash leaves at most a temp file behind (`removeStaleTempFiles`).
 *
 * `content` may be an iterable of pieces (strings, written as UTF-8, and byte
 * arrays), pulled one at a time while the temp file is written, so a file of
 * any size is written without ever being held whole. However many pieces, the
 * write is one durable operation for the failpoints (4 in all, as for a single
 * value). A piece that throws abandons the temp file and fails the replace.
 */
export function replaceFileAtomically(filePath: string, content: FileContent): void {
  let tempPath: string | undefined;
  try {
    const { target, mode } = resolveReplaceTarget(filePath);
    const dir = path.dirname(target);
    tempPath = path.join(dir, tempFileNameFor(path.basename(target)));
    const fd = fs.openSync(tempPath, 'wx', mode ?? 0o666);
    try {
      // The create mode is filtered by the umask; an existing file's mode is not.
      if (mode !== undefined) fs.fchmodSync(fd, mode);
      countedWritePieces(fd, utf8PiecesOf(content), 'write', tempPath);
      countedFsync(fd, tempPath);
    } finally {
      fs.closeSync(fd);
    }
    countedRename(tempPath, target);
    tempPath = undefined;
    fsyncDirectory(dir);
  } catch (cause) {
    if (tempPath !== undefined) removeQuietly(tempPath);
    throw new DurableFsError(`replace file ${filePath}`, { cause });
  }
}
