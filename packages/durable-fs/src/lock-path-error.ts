import { describeFileKind, type FileKind } from '@tau/schemas';
import { printableLockText } from './lock-holder.js';

/** What is at a lock path that is not a regular file: its kind, and for a link its text and whether it dangles. */
export interface LockPathEntry {
  readonly kind: Exclude<FileKind, 'file'>;
  readonly link?: { readonly text: string; readonly dangling: boolean };
}

function describeEntry(entry: LockPathEntry): string {
  const kind = describeFileKind(entry.kind);
  if (entry.link === undefined) return kind;
  return `${kind} to '${printableLockText(entry.link.text)}'${entry.link.dangling ? ', which does not exist' : ''}`;
}

/**
 * Something other than a regular file is at the state-directory lock path (a
 * symbolic link, dangling or not, a directory, a FIFO...). tau-po only ever
 * creates a regular file there, so this is not a lock it can judge: it is
 * never followed nor removed, and every command fails with exit 1 (not
 * "busy") until an operator removes it.
 */
export class LockPathNotAFileError extends Error {
  override name = 'LockPathNotAFileError';

  constructor(
    readonly lockPath: string,
    readonly entry: LockPathEntry,
  ) {
    super(
      `state directory lock path '${lockPath}' is ${describeEntry(entry)}, not a lock file; ` +
        'tau-po never follows or removes it: inspect it and remove it by hand',
    );
  }
}
