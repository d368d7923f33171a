import type { AuditHead, AuditReplayRow, ControlAction, ControlState, LifecycleState } from '@tau/schemas';
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
  last_mutating_row: { line: number; row: AuditReplayRow } | null;
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
 * Reconciles the control state file with the audit log (pure).
 *
 * The audit row is the commit point and the control state is written after
 * it, so a crash between the two leaves the log one row ahead. Rules:
 * - The state records an `audit_head` (we wrote it): fewer rows recorded than
 *   the log holds means the log is ahead, so the state is rolled forward from
 *   the last row; more rows recorded, or the same count with another hash,
 *   means the log was cut or edited: reported, state kept (`audit verify`
 *   tells more).
 * - No control state but rows exist: rolled forward from the last row.
 * - A state without `audit_head` (written by Tau, which writes the state
 *   first and the row second): only compared. If the last row disagrees and
 *   is newer than the state, the log is ahead (our row, then a crash):
 *   rolled forward. If it is not newer, the state is ahead of the log (Tau
 *   stopped before its append): state kept, reported.
 */
export function reconcileControlState(
  controlState: ControlState | undefined,
  auditLog: AuditLogPosition,
): ReconciledControlState {
  const { head } = auditLog;
  const lastRow = auditLog.last_mutating_row?.row ?? null;
  const lastLine = auditLog.last_mutating_row?.line ?? 0;
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
  if (recorded !== undefined && recorded !== null) {
    if (recorded.row_count < head.row_count) {
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
  if (lastRow === null) return kept();
  const rowLifecycle = rowLifecycleState(lastRow);
  const rowRollback = lastRow.rollback_checkpoint ?? null;
  if (rowLifecycle === controlState.lifecycle_state && rowRollback === controlState.rollback_checkpoint) return kept();
  const rowTime = rowField(lastRow, 'timestamp_unix_ms', isTimestamp);
  if (rowTime !== undefined && rowTime > controlState.updated_unix_ms) {
    return rollForward(
      `audit log's last row (${describeRow(lastRow, lastLine, rowLifecycle ?? 'unknown')}) is newer than the control state (lifecycle_state=${controlState.lifecycle_state})`,
    );
  }
  return kept([
    `control state (lifecycle_state=${controlState.lifecycle_state}) has no audit row of its own; the last row says ${describeRow(lastRow, lastLine, rowLifecycle ?? 'unknown')} (a command stopped before its audit append); control state kept`,
  ]);
}
