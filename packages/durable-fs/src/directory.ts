import fs from 'node:fs';
import path from 'node:path';
import { countedFsync } from './durable-operation.js';
import { DurableFsError } from './durable-fs-error.js';

function fsyncDirectoryUnwrapped(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    countedFsync(fd, dir);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * fsyncs a directory, making the creation, rename or removal of its entries
 * durable (a file's own fsync does not cover its directory entry).
 */
export function fsyncDirectory(dir: string): void {
  try {
    fsyncDirectoryUnwrapped(dir);
  } catch (cause) {
    throw new DurableFsError(`fsync directory ${dir}`, { cause });
  }
}

/**
 * `mkdir -p` that makes every directory it creates durable by fsyncing its
 * parent. An existing directory is left alone (no fsync); an existing
 * non-directory fails.
 */
export function ensureDirectory(dir: string): void {
  try {
    const target = path.resolve(dir);
    const firstCreated = fs.mkdirSync(target, { recursive: true });
    // undefined: it already existed (a non-directory there makes mkdirSync throw EEXIST).
    if (firstCreated === undefined) return;
    // Created: firstCreated and every directory below it down to target.
    const created: string[] = [];
    for (let current = target; ; current = path.dirname(current)) {
      created.unshift(current);
      if (current === firstCreated) break;
    }
    for (const dirPath of created) fsyncDirectoryUnwrapped(path.dirname(dirPath));
  } catch (cause) {
    throw new DurableFsError(`create directory ${dir}`, { cause });
  }
}
