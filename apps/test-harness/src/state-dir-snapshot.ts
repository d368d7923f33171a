import { createHash } from 'node:crypto';
import { closeSync, existsSync, lstatSync, openSync, readdirSync, readlinkSync, readSync } from 'node:fs';
import { join } from 'node:path';

/** One entry of a directory tree as seen without following symlinks. */
export type SnapshotEntry =
  | { readonly type: 'file'; readonly size: number; readonly sha256: string }
  | { readonly type: 'directory' }
  | { readonly type: 'symlink'; readonly target: string }
  | { readonly type: 'other' };

/** Relative path -> entry, for every entry under a directory. */
export type DirectorySnapshot = ReadonlyMap<string, SnapshotEntry>;

function hashFile(path: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, 'r');
  try {
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) hash.update(buffer.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** Takes a snapshot (content hashes, symlink targets) of everything under `root`; empty when `root` is absent. */
export function snapshotDirectory(root: string): DirectorySnapshot {
  const entries = new Map<string, SnapshotEntry>();
  if (!existsSync(root)) return entries;
  const visit = (relative: string): void => {
    for (const name of readdirSync(join(root, relative)).sort()) {
      const child = relative === '' ? name : `${relative}/${name}`;
      const path = join(root, child);
      const stats = lstatSync(path);
      if (stats.isSymbolicLink()) entries.set(child, { type: 'symlink', target: readlinkSync(path) });
      else if (stats.isDirectory()) {
        entries.set(child, { type: 'directory' });
        visit(child);
      } else if (stats.isFile()) entries.set(child, { type: 'file', size: stats.size, sha256: hashFile(path) });
      else entries.set(child, { type: 'other' });
    }
  };
  visit('');
  return entries;
}

function sameEntry(a: SnapshotEntry, b: SnapshotEntry): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'file' && b.type === 'file') return a.sha256 === b.sha256 && a.size === b.size;
  if (a.type === 'symlink' && b.type === 'symlink') return a.target === b.target;
  return true;
}

/** The paths added, removed or changed between two snapshots, sorted. */
export function diffSnapshots(before: DirectorySnapshot, after: DirectorySnapshot): { added: string[]; removed: string[]; changed: string[] } {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const [path, entry] of before) {
    const other = after.get(path);
    if (other === undefined) removed.push(path);
    else if (!sameEntry(entry, other)) changed.push(path);
  }
  for (const path of after.keys()) if (!before.has(path)) added.push(path);
  return { added: added.sort(), removed: removed.sort(), changed: changed.sort() };
}
