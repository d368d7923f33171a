// Puts a state directory back as it was, cheaply, between benchmark runs of
// mutating commands on a big audit log: copying a 380 MB log per run would
// cost more than the run. A control command only appends to the audit log
// (no torn tail to cut in the bench fixtures), so the log is restored by
// truncating it back to its length; every other file is small and kept whole.
import { readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A state directory's regular files as they were: the append-only log by length, the rest by content. */
export interface StateDirRestorePoint {
  readonly stateDir: string;
  readonly appendOnlyFile: string;
  readonly appendOnlyLength: number;
  readonly files: ReadonlyMap<string, Buffer>;
}

/** The restore point of `stateDir` (flat: no subdirectories), with `appendOnlyFile` (a name in it) kept by length. */
export function captureStateDirRestorePoint(stateDir: string, appendOnlyFile: string): StateDirRestorePoint {
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(stateDir)) {
    if (name !== appendOnlyFile) files.set(name, readFileSync(join(stateDir, name)));
  }
  return { stateDir, appendOnlyFile, appendOnlyLength: statSync(join(stateDir, appendOnlyFile)).size, files };
}

/** The append-only file was cut below its length since the capture: truncating cannot restore it. */
export class StateDirRestoreError extends Error {
  override name = 'StateDirRestoreError';
}

/** Removes what was added, rewrites every kept file, truncates the append-only file back to its length. */
export function restoreStateDir(point: StateDirRestorePoint): void {
  const logPath = join(point.stateDir, point.appendOnlyFile);
  const length = statSync(logPath).size;
  if (length < point.appendOnlyLength) {
    throw new StateDirRestoreError(`${logPath} is ${length} bytes, shorter than the ${point.appendOnlyLength} captured`);
  }
  for (const name of readdirSync(point.stateDir)) {
    if (name !== point.appendOnlyFile && !point.files.has(name)) rmSync(join(point.stateDir, name), { recursive: true, force: true });
  }
  for (const [name, bytes] of point.files) writeFileSync(join(point.stateDir, name), bytes);
  truncateSync(logPath, point.appendOnlyLength);
}
