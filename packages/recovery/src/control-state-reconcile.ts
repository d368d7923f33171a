import type { AuditHead, AuditHeadFile, AuditReplayRow, ControlAction, ControlState, LifecycleState } from '@tau/schemas';
import { lifecycleStateSchema } from '@tau/schemas';
import { TARGET_LIFECYCLE_STATE } from './lifecycle-transition.js';

/**
 * What reconciliation needs to know about the audit log: where it ends and
 * its last mutating row (a structural subset of @tau/audit-log's `AuditReplay`).
 */
export interface AuditLogPosition {
  /** Complete rows and the hash of the last one. */
  head: AuditHead;
  /** The last complete row whose action changes the lifecycle (every row but `status`), with its 1-based line; or null. */
  last_mutating_row: { line: number; offset: number; row: AuditReplayRow } | null;
}

/** The control state a command should start from, and why it differs from the file. */
export interface ReconciledControlState {
  /** The committed control state: the file's, or the one rolled forward from the audit log. */
  state: ControlState | undefined;
  /** One sentence per finding, for the operator. */
  diagnostics: string[];
  /** True when `state` was rebuilt from the audit log's last row. */
  rolledForward: boolean;
}

type MutatingAction = Exclude<ControlAction, 'status'>;

function isMutatingAction(action: string): action is MutatingAction {
  return Object.hasOwn(TARGET_LIFECYCLE_STATE, action);
}

/** A row's lifecycle state: as recorded, or (a row missing it) the one its action writes. */
function rowLifecycleState(row: AuditReplayRow): LifecycleState | undefined {
  const recorded = lifecycleStateSchema.safeParse(row.lifecycle_state);
  if (recorded.success) return recorded.data;
  return isMutatingAction(row.action) ? TARGET_LIFECYCLE_STATE[row.action] : undefined;
}

function rowField<T>(row: AuditReplayRow, key: string, accept: (value: unknown) => value is T): T | undefined {
  const value = row[key];
  return accept(value) ? value : undefined;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isTimestamp = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * A row we appended: it carries our chain link or our identity keys, which
 * Tau's binary never writes. Our rows are commit points (written before the
 * state); Tau's are written after its state, so a Tau row is already applied.
 */
export function isOurAuditRow(row: AuditReplayRow): boolean {
  return typeof row.prev_sha256 === 'string' || typeof row.os_user === 'string' || typeof row.host === 'string';
}

/** The control state the last committed row implies, or undefined when the row cannot say. */
function stateFromRow(row: AuditReplayRow, head: AuditHead, prior: ControlState | undefined): ControlState | undefined {
  const lifecycle_state = rowLifecycleState(row);
  if (lifecycle_state === undefined || !isMutatingAction(row.action)) return undefined;
  const rollback = row.rollback_checkpoint;
  return {
    schema_version: 1,
    updated_unix_ms: rowField(row, 'timestamp_unix_ms', isTimestamp) ?? prior?.updated_unix_ms ?? 0,
    lifecycle_state,
    last_action: row.action,
    principal: rowField(row, 'principal', isString) ?? prior?.principal ?? 'unknown',
    rollback_checkpoint: typeof rollback === 'string' ? rollback : null,
    audit_head: head,
  };
}

function describeRow(row: AuditReplayRow, line: number, lifecycle: string): string {
  return `line ${line}: action=${row.action} lifecycle_state=${lifecycle}`;
}

/** `1 row`, `2 rows`: diagnostics are read by people. */
function countRows(count: number): string {
  return `${count} ${count === 1 ? 'row' : 'rows'}`;
}

/**
 * Reconciles the control state file with the audit log (pure), by structure,
 * never by clock: timestamps come from machines whose clocks disagree.
 *
 * Our commit order is row (commit point) -> control state -> head file, so
 * the head file (`appliedHead`) marks how far our commits were fully
 * applied. Rules:
 * - No control state but rows exist: rolled forward from the last row.
 * - With a head file: the last mutating row starting at or after its
 *   `end_offset` and written by us (`isOurAuditRow`) was committed but not
 *   applied: rolled forward. One written by Tau was applied already (Tau
 *   writes its state first): state kept.
 * - Without a head file (an older directory), the state's own `audit_head`
 *   gives the applied row count: more rows in the log and the last mutating
 *   one ours means rolled forward; fewer, or another hash, is reported.
 * - Neither (a directory only Tau wrote): our last mutating row that
 *   disagrees with the state was committed but not applied (Tau's state
 *   without its row is a write Tau never committed): rolled forward; Tau's
 *   own row is applied: state kept.
 */
export function reconcileControlState(
  controlState: ControlState | undefined,
  auditLog: AuditLogPosition,
  appliedHead?: AuditHeadFile,
): ReconciledControlState {
  const { head } = auditLog;
  const lastRow = auditLog.last_mutating_row?.row ?? null;
  const lastLine = auditLog.last_mutating_row?.line ?? 0;
  const lastOffset = auditLog.last_mutating_row?.offset ?? 0;
  const recorded = controlState?.audit_head;
  const kept = (diagnostics: string[] = []): ReconciledControlState => ({
    state: controlState,
    diagnostics,
    rolledForward: false,
  });
  const rollForward = (reason: string): ReconciledControlState => {
    if (lastRow === null) return kept();
    const state = stateFromRow(lastRow, head, controlState);
    if (state === undefined) {
      return kept([
        `${reason}, but its last row (line ${lastLine}: action=${lastRow.action}) names no lifecycle state; control state kept as it is`,
      ]);
    }
    return {
      state,
      diagnostics: [
        `${reason}: rolled the control state forward from the last audit row (${describeRow(lastRow, lastLine, state.lifecycle_state)}), committed by a command that stopped before writing the control state`,
      ],
      rolledForward: true,
    };
  };

  if (head.row_count === 0) {
    if (recorded !== undefined && recorded !== null && recorded.row_count > 0) {
      return kept([
        `audit log holds no rows but the control state records ${recorded.row_count}: the log was removed or truncated; run \`audit verify\``,
      ]);
    }
    return kept();
  }
  if (controlState === undefined) {
    return rollForward(`control state is missing but the audit log holds ${countRows(head.row_count)}`);
  }
  if (lastRow === null) return kept();
  if (appliedHead !== undefined) {
    if (lastOffset >= appliedHead.end_offset && isOurAuditRow(lastRow)) {
      return rollForward(
        `audit log holds a committed row after the audit head file (${countRows(head.row_count)}, head file records ${appliedHead.row_count})`,
      );
    }
    return kept();
  }
  if (recorded !== undefined && recorded !== null) {
    if (recorded.row_count < head.row_count) {
      if (!isOurAuditRow(lastRow)) return kept();
      return rollForward(
        `audit log is ahead of the control state (${countRows(head.row_count)}, control state records ${recorded.row_count})`,
      );
    }
    if (recorded.row_count > head.row_count) {
      return kept([
        `audit log holds ${countRows(head.row_count)} but the control state records ${recorded.row_count}: rows were removed or truncated; run \`audit verify\``,
      ]);
    }
    if (recorded.last_row_sha256 !== head.last_row_sha256) {
      return kept([
        `audit log's last row does not match the head the control state records (${countRows(head.row_count)}): the log was edited; run \`audit verify\``,
      ]);
    }
    return kept();
  }
  const rowLifecycle = rowLifecycleState(lastRow);
  const rowRollback = lastRow.rollback_checkpoint ?? null;
  if (rowLifecycle === controlState.lifecycle_state && rowRollback === controlState.rollback_checkpoint) return kept();
  if (isOurAuditRow(lastRow)) {
    return rollForward(
      `audit log's last row (${describeRow(lastRow, lastLine, rowLifecycle ?? 'unknown')}) is ours and disagrees with the control state (lifecycle_state=${controlState.lifecycle_state}), which records no audit head`,
    );
  }
  return kept([
    `control state (lifecycle_state=${controlState.lifecycle_state}) has no audit row of its own; the last row says ${describeRow(lastRow, lastLine, rowLifecycle ?? 'unknown')} (a command stopped before its audit append); control state kept`,
  ]);
}
