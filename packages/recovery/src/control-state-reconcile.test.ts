import type { AuditHead, AuditHeadFile, AuditReplayRow, ControlState, LifecycleState } from '@tau/schemas';
import fc from 'fast-check';
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

/** Rows are 100 bytes each: the last mutating row sits at byte `(line - 1) * 100`. */
function position(h: AuditHead, last: AuditReplayRow | null, line = h.row_count): AuditLogPosition {
  return { head: h, last_mutating_row: last === null ? null : { line, offset: (line - 1) * 100, row: last } };
}

/** Our head file after `rows` rows of 100 bytes. */
function headFile(rows: number): AuditHeadFile {
  return { schema_version: 1, row_count: rows, last_row_offset: (rows - 1) * 100, end_offset: rows * 100, last_row_sha256: HASH_A };
}

/** A row Tau's binary wrote: no chain link, no identity keys. */
const TAU_PAUSE_ROW = row('pause', {
  timestamp_unix_ms: 2_000,
  principal: 'local:bob',
  lifecycle_state: 'paused',
  rollback_checkpoint: null,
});
/** The same row as we write it. */
const PAUSE_ROW = { ...TAU_PAUSE_ROW, prev_sha256: HASH_B, os_user: 'bob', host: 'h1' };

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
      'Tau state disagreeing with our last row: our committed row rolled forward',
      state('running', { updated: 1_000 }),
      position(head(1), PAUSE_ROW),
      { rolled: true, lifecycle: 'paused', diag: /is ours and disagrees/ },
    ],
    [
      "Tau state disagreeing with Tau's last row: Tau wrote its state first, kept",
      state('cancelled', { updated: 3_000 }),
      position(head(1), TAU_PAUSE_ROW),
      { rolled: false, lifecycle: 'cancelled', diag: /has no audit row of its own/ },
    ],
    [
      "log ahead of the state's head but the last row is Tau's: applied already, kept",
      state('running', { audit_head: head(1) }),
      position(head(2, HASH_B), TAU_PAUSE_ROW),
      { rolled: false, lifecycle: 'running', diag: null },
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
    assertOutcome(result, prior, expected);
  });

  it.each<[string, ControlState | undefined, AuditLogPosition, AuditHeadFile, { rolled: boolean; lifecycle?: LifecycleState; diag: RegExp | null }]>([
    [
      'our row after the head file: committed, not applied: rolled forward',
      state('running', { audit_head: head(3) }),
      position(head(4, HASH_B), PAUSE_ROW),
      headFile(3),
      { rolled: true, lifecycle: 'paused', diag: /committed row after the audit head file \(4 rows, head file records 3\)/ },
    ],
    [
      'our row at the head file: applied, kept',
      state('running', { audit_head: head(4) }),
      position(head(4), PAUSE_ROW),
      headFile(4),
      { rolled: false, lifecycle: 'running', diag: null },
    ],
    [
      "Tau's row after the head file (Tau writes its state first): kept",
      state('running'),
      position(head(5), TAU_PAUSE_ROW),
      headFile(4),
      { rolled: false, lifecycle: 'running', diag: null },
    ],
    [
      "our row after the head file, then Tau's unchained rows interleaved after it: rolled forward from ours",
      state('running'),
      position(head(6), PAUSE_ROW, 5),
      headFile(4),
      { rolled: true, lifecycle: 'paused', diag: /committed row after the audit head file/ },
    ],
    [
      'our row before the head file, Tau state rewritten since: kept',
      state('cancelled'),
      position(head(6), PAUSE_ROW, 3),
      headFile(4),
      { rolled: false, lifecycle: 'cancelled', diag: null },
    ],
  ])('with a head file: %s', (_name, prior, auditLog, applied, expected) => {
    assertOutcome(reconcileControlState(prior, auditLog, applied), prior, expected);
  });

  it('never looks at a clock: skewing every timestamp either way changes nothing', () => {
    const cases: [ControlState, AuditLogPosition, AuditHeadFile | undefined][] = [
      [state('running'), position(head(1), PAUSE_ROW), undefined],
      [state('cancelled'), position(head(1), TAU_PAUSE_ROW), undefined],
      [state('running', { audit_head: head(3) }), position(head(4, HASH_B), PAUSE_ROW), headFile(3)],
      [state('running'), position(head(5), TAU_PAUSE_ROW), headFile(4)],
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 }), fc.integer({ min: 0, max: 2 ** 48 }), (stateTime, rowTime) => {
        for (const [prior, auditLog, applied] of cases) {
          const baseline = reconcileControlState(prior, auditLog, applied);
          const skewedRow = { ...auditLog.last_mutating_row!, row: { ...auditLog.last_mutating_row!.row, timestamp_unix_ms: rowTime } };
          const skewed = reconcileControlState({ ...prior, updated_unix_ms: stateTime }, { ...auditLog, last_mutating_row: skewedRow }, applied);
          expect(skewed.rolledForward).toBe(baseline.rolledForward);
          expect(skewed.state?.lifecycle_state).toBe(baseline.state?.lifecycle_state);
        }
      }),
    );
  });

  function assertOutcome(
    result: ReturnType<typeof reconcileControlState>,
    prior: ControlState | undefined,
    expected: { rolled: boolean; lifecycle?: LifecycleState; diag: RegExp | null },
  ): void {
    expect(result.rolledForward).toBe(expected.rolled);
    expect(result.state?.lifecycle_state).toBe(expected.lifecycle);
    if (expected.diag === null) expect(result.diagnostics).toEqual([]);
    else {
      expect(result.diagnostics).toHaveLength(1);
      expect(result.diagnostics[0]).toMatch(expected.diag);
    }
    if (!expected.rolled) expect(result.state).toBe(prior);
  }

  it('the rolled-forward state is the last row: action, principal, checkpoint, time, head', () => {
    const rollbackRow = row('rollback', {
      prev_sha256: HASH_A,
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
