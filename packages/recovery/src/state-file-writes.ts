// Which files of a state directory a command writes, and whether each write
// can succeed (pure). A command writes several files and its commit point
// (the audit row) sits in the middle: a write that fails after the commit
// point leaves a committed change whose command exited 1, and for resume a
// recovery report of a resume that "failed". So every file is checked before
// the first write, with @tau/durable-fs's own rule (`writeTargetProblem`),
// and any problem fails the command while nothing has been written.
import { writeTargetProblem, type WriteTargetObservation } from '@tau/durable-fs';
import type { ControlAction } from '@tau/schemas';
import type { StateDirPaths } from './state-dir-paths.js';

/** How a command writes a file: replaced atomically, or changed in place (appended to, truncated). */
export type StateFileWriteMethod = 'replace' | 'in_place';

/** One file a command will write. */
export interface PlannedStateFileWrite {
  path: string;
  method: StateFileWriteMethod;
}

/** A planned write with what the executor found at its path. */
export interface ObservedStateFileWrite extends PlannedStateFileWrite {
  observation: WriteTargetObservation;
  /**
   * Whether our permissions allow the write to an existing file: for
   * `in_place` the file itself is writable, for `replace` the directory the
   * rename lands in is. Ignored when nothing is there (creating a file needs
   * only the state directory, which the command's lock file proves writable).
   */
  permitted: boolean;
}

/** A file that cannot be written, and why (one phrase). */
export interface UnwritableStateFile {
  path: string;
  problem: string;
}

/**
 * The files a control command writes, in commit order: resume's pending
 * recovery report and the report it is renamed over, the audit log (appended to; a torn tail is quarantined to a new file
 * and cut off), the control state, the audit head file. `status` writes nothing.
 */
export function planControlCommandWrites(action: ControlAction, paths: StateDirPaths): PlannedStateFileWrite[] {
  if (action === 'status') return [];
  const writes: PlannedStateFileWrite[] = [];
  if (action === 'resume') {
    // Written under its pending name, then renamed over the report: both paths must take a replace.
    writes.push({ path: paths.pendingRecoveryReport, method: 'replace' });
    writes.push({ path: paths.recoveryReport, method: 'replace' });
  }
  writes.push({ path: paths.controlAudit, method: 'in_place' });
  writes.push({ path: paths.controlState, method: 'replace' });
  writes.push({ path: paths.controlAuditHead, method: 'replace' });
  return writes;
}

/** `audit repair` truncates the audit log in place (its quarantine file is new, under a fresh name). */
export function planAuditRepairWrites(paths: StateDirPaths): PlannedStateFileWrite[] {
  return [{ path: paths.controlAudit, method: 'in_place' }];
}

function problemOf(write: ObservedStateFileWrite): string | null {
  const problem = writeTargetProblem(write.observation);
  if (problem !== null || write.observation.entry === 'absent' || write.permitted) return problem;
  return write.method === 'in_place'
    ? 'it is not writable (permission denied)'
    : 'the directory it would be replaced in is not writable (permission denied)';
}

/** Every planned write that cannot succeed, in plan order; empty when all can. */
export function findUnwritableStateFiles(writes: readonly ObservedStateFileWrite[]): UnwritableStateFile[] {
  const found: UnwritableStateFile[] = [];
  for (const write of writes) {
    const problem = problemOf(write);
    if (problem !== null) found.push({ path: write.path, problem });
  }
  return found;
}
