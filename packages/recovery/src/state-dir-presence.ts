// Read-only commands (`audit verify`, `audit timeline`, `doctor`) report on
// a state directory that must already exist: on a mistyped path, "0 rows,
// chain intact" would be a success about nothing. Mutating commands create
// the directory instead and do not call this.
import fs from 'node:fs';

/** The state directory named on the command line (or by the run) does not exist. */
export class StateDirMissingError extends Error {
  override name = 'StateDirMissingError';
  constructor(readonly stateDir: string) {
    super(`state directory '${stateDir}' does not exist`);
  }
}

/** @throws StateDirMissingError when nothing is at `stateDir` (a dangling symlink counts as nothing). */
export function requireExistingStateDir(stateDir: string): void {
  if (fs.statSync(stateDir, { throwIfNoEntry: false }) === undefined) throw new StateDirMissingError(stateDir);
}
