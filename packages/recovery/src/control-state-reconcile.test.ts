import type { AuditHead, AuditReplayRow, ControlState, LifecycleState } from '@tau/schemas';
import { describe, expect, it } from 'vitest';
import { reconcileControlState, type AuditLogPosition } from './control-state-reconcile.js';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

function head(row_count: number, last_row_sha256: string | null = row_count === 0 ? null : HASH_A): AuditHead {
  return { row_count, last_row_sha256 };
}

function state(
  lifecycle_state: LifecycleState,
  options: { audit_head?: AuditHead; updated?: number; rollback?: string | null } = {},
): ControlState {
  return {
    schema_version: 1,
    updated_unix_ms: options.updated ?? 1_000,
    lifecycle_state,
    last_action: 'resume',
    principal: 'local:alice',
    rollback_checkpoint: options.rollback ?? null,
    ...(options.audit_head === undefined ? {} : { audit_head: options.audit_head }),
  };
}

function row(action: string, fields: Record<string, unknown> = {}): AuditReplayRow {
  return { action, ...fields };
}

function position(h: AuditHead, last: AuditReplayRow | null): AuditLogPosition {
  return { head: h, last_mutating_row: last === null ? null : { line: h.row_count, row: last } };
}

const PAUSE_ROW = row('pause', {
  timestamp_unix_ms: 2_000,
  principal: 'local:bob',
  lifecycle_state: 'paused',
  rollback_checkpoint: null,
});

describe('reconcileControlState', () => {
  it.each<[string, ControlState | undefined, AuditLogPosition, { rolled: boolean; lifecycle?: LifecycleState; diag: RegExp | null }]>([
    ['empty log, no state: nothing to do', undefined, position(head(0), null), { rolled: false, diag: null }],
    [
      'empty log, state without head: nothing to do',
      state('paused'),
      position(head(0), null),
      { rolled: false, lifecycle: 'paused', diag: null },
    ],
    [
      'empty log but the state records rows: truncation reported, state kept',
      state('paused', { audit_head: head(3) }),
      position(head(0), null),
      { rolled: false, lifecycle: 'paused', diag: /holds no rows but the control state records 3/ },
    ],
    [
      'state head equals the log: nothing to do',
      state('paused', { audit_head: head(2) }),
      position(head(2), PAUSE_ROW),
      { rolled: false, lifecycle: 'paused', diag: null },
    ],
    [
      'log one row ahead of the head: rolled forward',
      state('running', { audit_head: head(1) }),
      position(head(2, HASH_B), PAUSE_ROW),
      { rolled: true, lifecycle: 'paused', diag: /ahead of the control state \(2 rows, control state records 1\)/ },
    ],
    [
      'no state but rows: rolled forward',
      undefined,
      position(head(1), PAUSE_ROW),
      { rolled: true, lifecycle: 'paused', diag: /control state is missing but the audit log holds 1 row:/ },
    ],
    [
      'log behind the head: reported, kept',
      state('running', { audit_head: head(5) }),
      position(head(4), PAUSE_ROW),
      { rolled: false, lifecycle: 'running', diag: /holds 4 rows but the control state records 5/ },
    ],
    [
      'same count, other hash: reported, kept',
      state('paused', { audit_head: head(2, HASH_A) }),
      position(head(2, HASH_B), PAUSE_ROW),
      { rolled: false, lifecycle: 'paused', diag: /does not match the head/ },
    ],
    [
      'Tau state agreeing with the last row: nothing to do',
      state('paused', { updated: 500 }),
      position(head(1), PAUSE_ROW),
      { rolled: false, lifecycle: 'paused', diag: null },
    ],
    [
      'Tau state older than a disagreeing last row: rolled forward',
      state('running', { updated: 1_000 }),
      position(head(1), PAUSE_ROW),
      { rolled: true, lifecycle: 'paused', diag: /newer than the control state/ },
    ],
    [
      'Tau state newer than a disagreeing last row: state ahead, kept',
      state('cancelled', { updated: 3_000 }),
      position(head(1), PAUSE_ROW),
      { rolled: false, lifecycle: 'cancelled', diag: /has no audit row of its own/ },
    ],
    [
      'a row without lifecycle_state rolls forward by its action',
      undefined,
      position(head(1), row('cancel', { timestamp_unix_ms: 9 })),
      { rolled: true, lifecycle: 'cancelled', diag: /rolled the control state forward/ },
    ],
    [
      'a row naming no known action or lifecycle cannot roll forward',
      undefined,
      position(head(1), row('reboot', { timestamp_unix_ms: 9 })),
      { rolled: false, diag: /names no lifecycle state/ },
    ],
  ])('%s', (_name, prior, auditLog, expected) => {
    const result = reconcileControlState(prior, auditLog);
    expect(result.rolledForward).toBe(expected.rolled);
    expect(result.state?.lifecycle_state).toBe(expected.lifecycle);
    if (expected.diag === null) expect(result.diagnostics).toEqual([]);
    else {
      expect(result.diagnostics).toHaveLength(1);
      expect(result.diagnostics[0]).toMatch(expected.diag);
    }
    if (!expected.rolled) expect(result.state).toBe(prior);
  });

  it('the rolled-forward state is the last row: action, principal, checkpoint, time, head', () => {
    const rollbackRow = row('rollback', {
      timestamp_unix_ms: 5_000,
      principal: 'local:carol',
      lifecycle_state: 'rollback_requested',
      rollback_checkpoint: 'ckpt/x.json',
    });
    const logHead = head(7, HASH_B);
    const result = reconcileControlState(state('running', { audit_head: head(6) }), position(logHead, rollbackRow));
    expect(result.state).toEqual({
      schema_version: 1,
      updated_unix_ms: 5_000,
      lifecycle_state: 'rollback_requested',
      last_action: 'rollback',
      principal: 'local:carol',
      rollback_checkpoint: 'ckpt/x.json',
      audit_head: logHead,
    });
  });
});
