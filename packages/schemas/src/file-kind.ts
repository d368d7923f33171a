import type fs from 'node:fs';

/** What a directory entry is, as `lstat` (or, through a link, `stat`) sees it. */
export type FileKind =
  | 'file'
  | 'directory'
  | 'symlink'
  | 'fifo'
  | 'socket'
  | 'character-device'
  | 'block-device'
  | 'unknown';

/** The kind of file `stats` describes. */
export function fileKindOf(stats: fs.Stats): FileKind {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'directory';
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isFIFO()) return 'fifo';
  if (stats.isSocket()) return 'socket';
  if (stats.isCharacterDevice()) return 'character-device';
  if (stats.isBlockDevice()) return 'block-device';
  return 'unknown';
}

const DESCRIPTIONS: Record<FileKind, string> = {
  file: 'a regular file',
  directory: 'a directory',
  symlink: 'a symbolic link',
  fifo: 'a FIFO',
  socket: 'a socket',
  'character-device': 'a character device',
  'block-device': 'a block device',
  unknown: 'an unknown kind of file',
};

/** The kind as an operator reads it, with its article: `a directory`, `a FIFO`. */
export function describeFileKind(kind: FileKind): string {
  return DESCRIPTIONS[kind];
}
