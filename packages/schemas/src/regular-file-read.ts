// The one way this project opens a file to read it. A plain blocking open of
// a FIFO hangs until a writer appears, and reading /dev/zero or a huge file
// grows memory without bound; so every reader opens non-blocking, checks with
// fstat that it holds a regular file, and reads at most a cap. It lives in
// @tau/schemas because every reader (artifacts, the RBAC policy, checkpoints,
// the audit log, the lock, the token store) already depends on this package.
import fs from 'node:fs';
import { describeFileKind, fileKindOf, type FileKind } from './file-kind.js';

/** Cap for the small files (policy, control state, status, reports, head, sidecars, lock, token store, server config). */
export const SMALL_FILE_MAX_BYTES = 16 * 1024 * 1024;

/** Something other than a regular file where a file is read. The caller's context names the path. */
export class NotRegularFileError extends Error {
  override name = 'NotRegularFileError';
  readonly code = 'ENOTREGULAR';
  constructor(
    readonly path: string,
    readonly kind: FileKind,
  ) {
    super(`the path is ${describeFileKind(kind)}, not a regular file`);
  }
}

/** A file above its cap: refused unread. */
export class FileTooLargeError extends Error {
  override name = 'FileTooLargeError';
  readonly code = 'ETOOLARGE';
  constructor(
    readonly path: string,
    readonly sizeBytes: number,
    readonly maxBytes: number,
  ) {
    super(`the file is ${sizeBytes} bytes, above the ${maxBytes}-byte cap for this file`);
  }
}

/** How to open: follow a symbolic link (the default) or refuse one. */
export interface RegularFileOpenOptions {
  /** Refuse a symbolic link at the path itself (O_NOFOLLOW) instead of following it. */
  readonly noFollow?: boolean;
  /** Open for reading and writing (the file must still be a regular file). */
  readonly write?: boolean;
}

/** An open regular file: its descriptor and the fstat taken right after opening. */
export interface OpenRegularFile {
  readonly fd: number;
  readonly stats: fs.Stats;
}

function kindAtPath(path: string): FileKind | undefined {
  const stats = fs.lstatSync(path, { throwIfNoEntry: false });
  return stats === undefined ? undefined : fileKindOf(stats);
}

/**
 * Opens `path` without blocking and checks with fstat that it is a regular
 * file. Throws `NotRegularFileError` for anything else (closing what it
 * opened), and the system error (ENOENT, EACCES, ...) otherwise.
 */
export function openRegularFile(path: string, options: RegularFileOpenOptions = {}): OpenRegularFile {
  const { O_RDONLY, O_RDWR, O_NONBLOCK, O_NOFOLLOW } = fs.constants;
  let fd: number;
  try {
    fd = fs.openSync(path, (options.write === true ? O_RDWR : O_RDONLY) | O_NONBLOCK | (options.noFollow === true ? O_NOFOLLOW : 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ELOOP: a symbolic link under O_NOFOLLOW; ENXIO: a socket (or a FIFO opened for writing); EISDIR: a directory opened for writing.
    if (code === 'ELOOP' || code === 'ENXIO' || code === 'EISDIR' || code === 'EOPNOTSUPP') {
      const kind = kindAtPath(path);
      if (kind !== undefined && kind !== 'file') throw new NotRegularFileError(path, kind);
    }
    throw error;
  }
  try {
    const stats = fs.fstatSync(fd);
    if (!stats.isFile()) throw new NotRegularFileError(path, fileKindOf(stats));
    return { fd, stats };
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
}

/** How much to read. */
export interface BoundedReadOptions extends RegularFileOpenOptions {
  /** Largest accepted size; default `SMALL_FILE_MAX_BYTES`. */
  readonly maxBytes?: number;
}

/**
 * The whole content of the regular file at `path`, refusing it unread when
 * it is larger than the cap (checked on fstat, and again while reading, so a
 * file that grows under us cannot push memory past the cap).
 */
export function readRegularFile(path: string, options: BoundedReadOptions = {}): Buffer {
  const maxBytes = options.maxBytes ?? SMALL_FILE_MAX_BYTES;
  const { fd, stats } = openRegularFile(path, options);
  try {
    if (stats.size > maxBytes) throw new FileTooLargeError(path, stats.size, maxBytes);
    // One byte of room past the recorded size shows a file that grew.
    let buffer = Buffer.allocUnsafe(Math.min(stats.size + 1, maxBytes + 1));
    let filled = 0;
    for (;;) {
      if (filled === buffer.length) {
        if (filled > maxBytes) throw new FileTooLargeError(path, filled, maxBytes);
        const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxBytes + 1));
        buffer.copy(grown, 0, 0, filled);
        buffer = grown;
      }
      const read = fs.readSync(fd, buffer, filled, buffer.length - filled, filled);
      if (read === 0) break;
      filled += read;
    }
    if (filled > maxBytes) throw new FileTooLargeError(path, filled, maxBytes);
    return buffer.subarray(0, filled);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * `readRegularFile`, or `undefined` when the path does not resolve to a file
 * (ENOENT; a dangling symbolic link counts as absent, as in Tau's readers).
 */
export function readRegularFileIfExists(path: string, options: BoundedReadOptions = {}): Buffer | undefined {
  try {
    return readRegularFile(path, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
