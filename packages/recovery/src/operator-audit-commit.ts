// Records an operator's act on a state directory (`lock break`) as one chained
// audit row. The one path for every such row: it appends through
// @tau/audit-log's chained append and records the new audit head where the
// control commands record theirs, so whatever protects the head protects
// these rows too. The caller holds the state-directory lock.
import { appendOperatorAuditRow, repairTornTail, replayAuditLog } from '@tau/audit-log';
import { replaceFileAtomically } from '@tau/durable-fs';
import {
  readControlState,
  serializeControlState,
  type AuditHead,
  type LifecycleState,
  type OperatorAuditRow,
} from '@tau/schemas';
import { reconcileControlState } from './control-state-reconcile.js';
import { MISSING_CONTROL_STATE_LIFECYCLE } from './lifecycle-transition.js';
import type { StateDirPaths } from './state-dir-paths.js';
import { assertStateFileWrites } from './state-file-observation.js';
import type { PlannedStateFileWrite } from './state-file-writes.js';

/** The files an operator-act row writes: the audit log (appended to), the control state (its head). */
function planOperatorAuditWrites(paths: StateDirPaths): PlannedStateFileWrite[] {
  return [
    { path: paths.controlAudit, method: 'in_place' },
    { path: paths.controlState, method: 'replace' },
  ];
}

/** What the state directory says now: the committed control state's lifecycle and where the log ends. */
interface OperatorAuditPosition {
  lifecycle: LifecycleState;
  head: AuditHead;
  state: ReturnType<typeof reconcileControlState>['state'];
  tornTail: boolean;
}

function readPosition(paths: StateDirPaths): OperatorAuditPosition {
  const state = readControlState(paths.controlState);
  const replay = replayAuditLog(paths.controlAudit, { collectActions: false });
  const reconciled = reconcileControlState(state, replay);
  return {
    lifecycle: reconciled.state?.lifecycle_state ?? MISSING_CONTROL_STATE_LIFECYCLE,
    head: replay.head,
    state: reconciled.state,
    tornTail: replay.torn_tail !== null,
  };
}

/**
 * Checks, before an operator act changes anything, that its row can be
 * committed: every file it writes can be written, the control state parses,
 * the audit log replays. Throws what the commit would throw.
 */
export function assertOperatorAuditRowCommittable(paths: StateDirPaths): void {
  assertStateFileWrites(planOperatorAuditWrites(paths));
  readPosition(paths);
}

/**
 * Appends the row `build` makes (given the lifecycle now, which the act does
 * not change) chained to the log's last row, moving a torn tail aside first
 * as every mutating command does, then records the new head in the control
 * state (when there is one). Returns the new head and what was repaired.
 */
export function commitOperatorAuditRow(
  paths: StateDirPaths,
  build: (lifecycle: LifecycleState) => OperatorAuditRow,
  now: () => number = Date.now,
): { head: AuditHead; diagnostics: string[] } {
  assertStateFileWrites(planOperatorAuditWrites(paths));
  const position = readPosition(paths);
  const diagnostics: string[] = [];
  if (position.tornTail) {
    const repair = repairTornTail(paths.controlAudit, now);
    if (repair !== null) diagnostics.push(`torn final audit line (${repair.byte_length} bytes) moved to ${repair.quarantine_path}`);
  }
  const head = appendOperatorAuditRow(paths.controlAudit, build(position.lifecycle), position.head);
  if (position.state !== undefined) {
    replaceFileAtomically(paths.controlState, serializeControlState({ ...position.state, audit_head: head }));
  }
  return { head, diagnostics };
}
