import { describe, expect, it } from 'vitest';
import { auditReplayRowSchema, auditRowSchema } from './audit-row.js';
import { operatorAuditRowSchema, serializeOperatorAuditRow, type OperatorAuditRow } from './operator-audit-row.js';

const row: OperatorAuditRow = {
  schema_version: 1,
  timestamp_unix_ms: 1_717_171_600_000,
  principal: 'local:rl-operator',
  action: 'lock_break',
  action_key: 'control:rl:resume',
  lifecycle_state: 'paused',
  idempotent: false,
  rollback_checkpoint: null,
  recovery_checkpoint_source: null,
  host: 'alpha',
  broken_lock: { pid: 42, host: 'beta', reason: 'other-host' },
};

describe('operator audit rows', () => {
  it("are Tau's keys in Tau's order, then ours, then the act's own", () => {
    const line = serializeOperatorAuditRow(row);
    expect(line).toBe(
      '{"schema_version":1,"timestamp_unix_ms":1717171600000,"principal":"local:rl-operator","action":"lock_break",' +
        '"action_key":"control:rl:resume","lifecycle_state":"paused","idempotent":false,"rollback_checkpoint":null,' +
        '"recovery_checkpoint_source":null,"host":"alpha","broken_lock":{"pid":42,"host":"beta","reason":"other-host"}}\n',
    );
    // What replay (Tau's rule: an object with a string action) reads; not a lifecycle row.
    const parsed: unknown = JSON.parse(line);
    expect(auditReplayRowSchema.safeParse(parsed).success).toBe(true);
    expect(auditRowSchema.safeParse(parsed).success).toBe(false);
    expect(operatorAuditRowSchema.parse(parsed)).toEqual(row);
  });

  it('refuses a lifecycle action', () => {
    expect(() => serializeOperatorAuditRow({ ...row, action: 'pause' as 'lock_break' })).toThrow();
  });
});
