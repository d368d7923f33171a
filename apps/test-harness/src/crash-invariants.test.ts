import fc from 'fast-check';
import type { ControlState } from '@tau/schemas';
import { describe, expect, it } from 'vitest';
import { chainAuditRows, MUTATING_ACTIONS, type HistoryStep } from './audit-history.js';
import {
  checkAfterCrash,
  checkAfterSuccess,
  checkCommittedRowsKept,
  checkNextCommandRecovers,
  checkStateMatchesLog,
  committedPrefix,
  completeLines,
  tornTail,
  type StateDirObservation,
} from './crash-invariants.js';

const AUTHOR = { principal: 'local:rl-operator', osUser: 'op', host: 'h', startUnixMs: 1_767_225_600_000, stepMs: 1000 };
const STEPS: HistoryStep[] = [{ action: 'resume' }, { action: 'pause' }, { action: 'resume' }, { action: 'cancel' }];

function history(steps: readonly HistoryStep[]) {
  return [...chainAuditRows(steps, AUTHOR)];
}

function logOf(steps: readonly HistoryStep[], torn = ''): Buffer {
  return Buffer.from(history(steps).map((entry) => `${entry.line}\n`).join('') + torn);
}

/** The control state a command writes after the first `rowCount` rows of `steps`. */
function stateAfter(steps: readonly HistoryStep[], rowCount: number): ControlState {
  const entry = history(steps)[rowCount - 1];
  if (entry === undefined) throw new Error('rowCount out of range');
  return {
    schema_version: 1,
    updated_unix_ms: entry.row.timestamp_unix_ms,
    lifecycle_state: entry.lifecycle,
    last_action: entry.row.action,
    principal: entry.row.principal,
    rollback_checkpoint: entry.rollbackCheckpoint,
    audit_head: entry.head,
  };
}

function observation(auditLog: Buffer, controlState: ControlState | undefined): StateDirObservation {
  return { unreadableArtifacts: [], controlState, auditLog, chainProblems: [] };
}

describe('log byte helpers', () => {
  it('separate committed rows from a torn tail', () => {
    const log = logOf(STEPS, '{"schema_version":1,"ti');
    expect(completeLines(log)).toHaveLength(4);
    expect(tornTail(log).toString()).toBe('{"schema_version":1,"ti');
    expect(committedPrefix(log).toString().endsWith('\n')).toBe(true);
    expect(tornTail(logOf(STEPS))).toHaveLength(0);
  });
});

describe('checkCommittedRowsKept', () => {
  it('accepts an appended row and a dropped torn tail', () => {
    const before = logOf(STEPS.slice(0, 3), '{"half');
    expect(checkCommittedRowsKept(before, logOf(STEPS))).toEqual([]);
    expect(checkCommittedRowsKept(before, logOf(STEPS.slice(0, 3)))).toEqual([]);
  });

  it('reports a lost row', () => {
    const violations = checkCommittedRowsKept(logOf(STEPS), logOf(STEPS.slice(0, 3)));
    expect(violations).toHaveLength(1);
    expect(violations[0]?.detail).toContain('line 4 of 4');
  });

  it('reports a changed row, even when the length is the same', () => {
    const before = logOf(STEPS);
    const after = Buffer.from(before.toString().replace('"host":"h"', '"host":"x"'));
    expect(after.length).toBe(before.length);
    expect(checkCommittedRowsKept(before, after)[0]?.detail).toContain('line 1 of 4');
  });
});

describe('checkStateMatchesLog', () => {
  const log = logOf(STEPS);

  it('accepts a state at the head of the log', () => {
    expect(checkStateMatchesLog(observation(log, stateAfter(STEPS, 4)), { exact: true })).toEqual([]);
  });

  it('accepts a state behind the log only after a crash', () => {
    const behind = observation(log, stateAfter(STEPS, 3));
    expect(checkStateMatchesLog(behind, { exact: false })).toEqual([]);
    expect(checkStateMatchesLog(behind, { exact: true })[0]?.detail).toContain('records 3 audit rows but the log holds 4');
  });

  it('reports a state ahead of its commit point', () => {
    const ahead = observation(logOf(STEPS.slice(0, 3)), stateAfter(STEPS, 4));
    expect(checkStateMatchesLog(ahead, { exact: false })[0]?.detail).toContain('ahead of its commit point');
  });

  it('reports a lifecycle that is not the one its audit row wrote', () => {
    const wrong = { ...stateAfter(STEPS, 4), lifecycle_state: 'paused' as const };
    expect(checkStateMatchesLog(observation(log, wrong), { exact: true })[0]?.detail).toContain('says cancelled');
  });

  it('reports a head hash that does not match the row', () => {
    const state = stateAfter(STEPS, 4);
    const wrong = { ...state, audit_head: { row_count: 4, last_row_sha256: '0'.repeat(64) } };
    expect(checkStateMatchesLog(observation(log, wrong), { exact: true })[0]?.detail).toContain('does not hash');
  });

  it('reports a state without an audit head', () => {
    const { audit_head: _dropped, ...state } = stateAfter(STEPS, 4);
    expect(checkStateMatchesLog(observation(log, state), { exact: false })[0]?.detail).toContain('no audit_head');
  });

  it('holds for any crash point between two commits, and fails for a state ahead (property)', () => {
    const action = fc.constantFrom(...MUTATING_ACTIONS);
    fc.assert(
      fc.property(fc.array(fc.record({ action }), { minLength: 1, maxLength: 12 }), fc.nat(), (steps, cut) => {
        const rows = 1 + (cut % steps.length);
        const logRows = steps.slice(0, rows);
        const state = stateAfter(steps, rows);
        expect(checkStateMatchesLog(observation(logOf(logRows), state), { exact: true })).toEqual([]);
        if (rows < steps.length) expect(checkStateMatchesLog(observation(logOf(steps), state), { exact: false })).toEqual([]);
        if (rows > 1) expect(checkStateMatchesLog(observation(logOf(steps.slice(0, rows - 1)), state), { exact: false })).not.toEqual([]);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('checkAfterCrash / checkAfterSuccess', () => {
  it('collect unreadable artifacts and chain problems', () => {
    const observed: StateDirObservation = {
      unreadableArtifacts: [{ file: 'control-state.json', message: 'failed to parse training control state' }],
      controlState: undefined,
      auditLog: logOf(STEPS),
      chainProblems: ['edited_or_deleted at line 3: ...'],
    };
    const invariants = checkAfterCrash(logOf(STEPS), observed).map((violation) => violation.invariant);
    expect(invariants).toEqual(['artifacts-parse', 'chain-verifies']);
  });

  it('after success, a torn tail is a violation', () => {
    const observed = observation(logOf(STEPS, '{"x'), stateAfter(STEPS, 4));
    expect(checkAfterCrash(logOf(STEPS), observed)).toEqual([]);
    expect(checkAfterSuccess(logOf(STEPS), observed).map((violation) => violation.invariant)).toEqual(['no-torn-tail']);
  });
});

describe('checkNextCommandRecovers', () => {
  it('accepts success and the documented fail-closed guardrail only', () => {
    expect(checkNextCommandRecovers({ exitCode: 0, signal: null, stderr: '' })).toEqual([]);
    expect(checkNextCommandRecovers({ exitCode: 4, signal: null, stderr: 'resume recovery guardrail: crash detected but checkpoint restore failed\n' })).toEqual([]);
    expect(checkNextCommandRecovers({ exitCode: 4, signal: null, stderr: 'something else' })).toHaveLength(1);
    expect(checkNextCommandRecovers({ exitCode: 1, signal: null, stderr: 'failed to parse training control state' })[0]?.detail).toContain('exit 1');
    expect(checkNextCommandRecovers({ exitCode: null, signal: 'SIGSEGV', stderr: '' })[0]?.detail).toContain('SIGSEGV');
  });
});
