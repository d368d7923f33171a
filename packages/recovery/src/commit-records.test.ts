import { describe, expect, it } from 'vitest';
import { buildAuditRow, buildNextControlState, type CommitRecordInput } from './commit-records.js';

function input(overrides: Partial<CommitRecordInput>): CommitRecordInput {
  return {
    nowUnixMs: 1_700_000_000_123,
    principal: 'local:rl-operator',
    action: 'resume',
    actionKey: 'control:rl:resume',
    transition: { lifecycle_state: 'running', idempotent: false, rollback_checkpoint: null },
    recoveryCheckpointSource: 'fallback',
    ...overrides,
  };
}

describe('buildAuditRow', () => {
  it('a resume row records the checkpoint source', () => {
    expect(buildAuditRow(input({}))).toEqual({
      schema_version: 1,
      timestamp_unix_ms: 1_700_000_000_123,
      principal: 'local:rl-operator',
      action: 'resume',
      action_key: 'control:rl:resume',
      lifecycle_state: 'running',
      idempotent: false,
      rollback_checkpoint: null,
      recovery_checkpoint_source: 'fallback',
    });
  });

  it.each<[string, Partial<CommitRecordInput>, Record<string, unknown>]>([
    [
      'other actions never record a checkpoint source',
      {
        action: 'pause',
        actionKey: 'control:rl:pause',
        transition: { lifecycle_state: 'paused', idempotent: true, rollback_checkpoint: null },
      },
      { action: 'pause', lifecycle_state: 'paused', idempotent: true, recovery_checkpoint_source: null },
    ],
    [
      'rollback records the path as given',
      {
        action: 'rollback',
        actionKey: 'control:rl:rollback',
        transition: { lifecycle_state: 'rollback_requested', idempotent: false, rollback_checkpoint: './c.json' },
      },
      { rollback_checkpoint: './c.json', recovery_checkpoint_source: null },
    ],
    ['a resume without restore records null', { recoveryCheckpointSource: null }, { recovery_checkpoint_source: null }],
  ])('%s', (_name, overrides, expected) => {
    expect(buildAuditRow(input(overrides))).toMatchObject(expected);
  });
});

describe('buildNextControlState', () => {
  it('mirrors the row and records the audit head', () => {
    const head = { row_count: 4, last_row_sha256: 'c'.repeat(64) };
    expect(
      buildNextControlState(
        input({
          action: 'rollback',
          actionKey: 'control:rl:rollback',
          transition: { lifecycle_state: 'rollback_requested', idempotent: false, rollback_checkpoint: 'c.json' },
        }),
        head,
      ),
    ).toEqual({
      schema_version: 1,
      updated_unix_ms: 1_700_000_000_123,
      lifecycle_state: 'rollback_requested',
      last_action: 'rollback',
      principal: 'local:rl-operator',
      rollback_checkpoint: 'c.json',
      audit_head: head,
    });
  });

  it('leaves the head out when there is none (dry run)', () => {
    expect(buildNextControlState(input({}), undefined)).not.toHaveProperty('audit_head');
  });
});

describe('buildAuditRow attribution', () => {
  it('a command through the control API records how it was authenticated, after Tau keys', () => {
    const row = buildAuditRow(input({ attribution: { auth: 'token:ab12', client_address: '127.0.0.1' } }));
    expect(Object.keys(row).slice(-2)).toEqual(['auth', 'client_address']);
    expect(row).toMatchObject({ auth: 'token:ab12', client_address: '127.0.0.1' });
  });

  it('a local command has no attribution keys', () => {
    expect(buildAuditRow(input({}))).not.toHaveProperty('auth');
  });
});
