// Records an operator's act on a state directory (`lock break`) as one chained
// audit row, through the one commit path every appended row takes
// (`commitAuditRow`: row, then the control state, then our head file). Like
// every writing command it refuses a log that fails verification: appending
// after an edited last row would re-base the head on the edit and erase the
// evidence. The caller holds the state-directory lock.
import { AuditChainFold, repairTornTail, replayAuditLog, type AuditTailPosition } from '@tau/audit-log';
import { replaceFileAtomically } from '@tau/durable-fs';
import {
  readAuditHeadFile,
  readControlState,
  serializeControlState,
  type AuditHead,
  type AuditOperatorRow,
  type ControlState,
  type LifecycleState,
} from '@tau/schemas';
import { commitAuditRow } from './audit-commit.js';
import { chainFoldOptionsFor, refuseUnverifiedAuditLog, type AcceptedFinding } from './audit-integrity.js';
import { reconcileControlState } from './control-state-reconcile.js';
import { MISSING_CONTROL_STATE_LIFECYCLE } from './lifecycle-transition.js';
import type { StateDirPaths } from './state-dir-paths.js';
import { assertStateFileWrites } from './state-file-observation.js';
import type { PlannedStateFileWrite } from './state-file-writes.js';

/** The files an operator-act row writes: the audit log (appended to), the control state and the head file. */
function planOperatorAuditWrites(paths: StateDirPaths): PlannedStateFileWrite[] {
  return [
    { path: paths.controlAudit, method: 'in_place' },
    { path: paths.controlState, method: 'replace' },
    { path: paths.controlAuditHead, method: 'replace' },
  ];
}

/** What the state directory says now, checked: the committed lifecycle, where the log ends, what was accepted. */
interface OperatorAuditPosition {
  lifecycle: LifecycleState;
  tail: AuditTailPosition;
  acceptedFindings: AcceptedFinding[];
  state: ControlState | undefined;
  tornTail: boolean;
  diagnostics: string[];
}

/** Reads and verifies in one replay; throws `AuditLogUnverifiedError` for a finding nobody accepted. */
function readCheckedPosition(paths: StateDirPaths): OperatorAuditPosition {
  const controlState = readControlState(paths.controlState);
  const headFile = readAuditHeadFile(paths.controlAuditHead);
  const chainFold = new AuditChainFold(chainFoldOptionsFor(headFile, controlState));
  const replay = replayAuditLog(paths.controlAudit, { collectActions: false, chainFold });
  const acceptedFindings: AcceptedFinding[] = headFile?.accepted_findings ?? [];
  refuseUnverifiedAuditLog(
    chainFold.finish(paths.controlAudit, replay.torn_tail),
    { controlAuditPath: paths.controlAudit, controlStatePath: paths.controlState, controlStatePresent: controlState !== undefined },
    acceptedFindings,
  );
  const reconciled = reconcileControlState(controlState, replay, headFile);
  return {
    lifecycle: reconciled.state?.lifecycle_state ?? MISSING_CONTROL_STATE_LIFECYCLE,
    tail: chainFold.tailPosition,
    acceptedFindings,
    state: reconciled.state,
    tornTail: replay.torn_tail !== null,
    diagnostics: [...reconciled.diagnostics],
  };
}

/**
 * Checks, before an operator act changes anything, that its row can be
 * committed: every file it writes can be written, the control state and head
 * file parse, the audit log replays and verifies. Throws what the commit would throw.
 */
export function assertOperatorAuditRowCommittable(paths: StateDirPaths): void {
  assertStateFileWrites(planOperatorAuditWrites(paths));
  readCheckedPosition(paths);
}

/**
 * Appends the row `build` makes (given the lifecycle now, which the act does
 * not change), moving a torn tail aside first as every writing command does,
 * then records the new head in the control state (when there is one) and in
 * our head file. After the row, failures are warnings (in `diagnostics`).
 */
export function commitOperatorAuditRow(
  paths: StateDirPaths,
  build: (lifecycle: LifecycleState) => AuditOperatorRow,
  now: () => number = Date.now,
): { head: AuditHead; diagnostics: string[] } {
  assertStateFileWrites(planOperatorAuditWrites(paths));
  const position = readCheckedPosition(paths);
  const diagnostics = position.diagnostics;
  if (position.tornTail) {
    const repair = repairTornTail(paths.controlAudit, now);
    if (repair !== null) diagnostics.push(`torn final audit line (${repair.byte_length} bytes) moved to ${repair.quarantine_path}`);
  }
  const { state } = position;
  const committed = commitAuditRow({
    paths,
    row: build(position.lifecycle),
    tail: { row_count: position.tail.row_count, last_row_sha256: position.tail.last_row_sha256 },
    acceptedFindings: position.acceptedFindings,
    afterCommit: (head) =>
      state === undefined
        ? []
        : [
            {
              label: `control state '${paths.controlState}'`,
              run: () => replaceFileAtomically(paths.controlState, serializeControlState({ ...state, audit_head: head })),
            },
          ],
  });
  diagnostics.push(...committed.warnings);
  return { head: committed.head, diagnostics };
}
