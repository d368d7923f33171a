import fs from 'node:fs';
import path from 'node:path';
import { DurableFsError } from './durable-fs-error.js';
import { isProcessAlive } from './process-liveness.js';
import { parseTempFileName } from './temp-file-name.js';

/**
 * A temp file older than this is removed even when its pid is alive: no
 * replace takes an hour, so that pid now belongs to another process (pid reuse,
 * or a reboot since the crash).
 */
export const TEMP_FILE_MAX_AGE_MS = 60 * 60 * 1000;

/** Whether a temp file was left by a writer that is gone (pure). */
export function isTempFileStale(
  writerPid: number,
  ageMs: number,
  writerAlive: (pid: number) => boolean,
  ownPid: number,
): boolean {
  if (writerPid === ownPid) return false;
  return ageMs > TEMP_FILE_MAX_AGE_MS || !writerAlive(writerPid);
}

/**
 * Removes the temp files (`.<name>.tmp-<pid>-<random>`) that crashed writers
 * left in `dir` and returns their paths. Call it while holding the state
 * directory lock, so no live writer of ours can be mid-replace. Readers ignore
 * these files anyway, so skipping this never corrupts anything; it only frees
 * space. Removal is not fsynced: a file that reappears after a power loss is
 * removed again next time.
 */
export function removeStaleTempFiles(dir: string, now: number = Date.now()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return removed;
    throw new DurableFsError(`list temp files in ${dir}`, { cause });
  }
  for (const name of names) {
    const parsed = parseTempFileName(name);
    if (parsed === undefined) continue;
    const filePath = path.join(dir, name);
    try {
      const stats = fs.lstatSync(filePath);
      if (!stats.isFile()) continue;
      if (!isTempFileStale(parsed.pid, now - stats.mtimeMs, isProcessAlive, process.pid)) continue;
      fs.unlinkSync(filePath);
      removed.push(filePath);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new DurableFsError(`remove stale temp file ${filePath}`, { cause });
    }
  }
  return removed;
}
