import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArtifactSerializeError } from './artifact-errors.js';
import { auditRowSchema, serializeAuditRow, type AuditRow } from './audit-row.js';
import { serializeControlReport, type ControlReport } from './control-report.js';
import { parseControlState, serializeControlState, type ControlState } from './control-state.js';
import { formatErrorChain } from './error-chain.js';
import { readFixture } from './fixture-files.test-support.js';
import { parseRecoveryReport, serializeRecoveryReport } from './recovery-report.js';
import { parseJsonStrict } from './strict-json.js';
import { thrownBy } from './thrown-error.test-support.js';
import { parseTrainingStatus, serializeTrainingStatus, type TrainingStatus } from './training-status.js';

const sha = 'a'.repeat(64);

const controlStateArbitrary: fc.Arbitrary<ControlState> = fc.record(
  {
    schema_version: fc.constant(1 as const),
    updated_unix_ms: fc.maxSafeNat(),
    lifecycle_state: fc.constantFrom('running', 'paused', 'cancelled', 'rollback_requested'),
    last_action: fc.constantFrom('status', 'pause', 'resume', 'cancel', 'rollback'),
    principal: fc.string({ unit: 'binary' }),
    rollback_checkpoint: fc.option(fc.string({ unit: 'binary' }), { nil: null }),
    audit_head: fc.record({ row_count: fc.maxSafeNat(), last_row_sha256: fc.option(fc.stringMatching(/^[0-9a-f]{64}$/), { nil: null }) }),
  },
  { requiredKeys: ['schema_version', 'updated_unix_ms', 'lifecycle_state', 'last_action', 'principal', 'rollback_checkpoint'] },
);

describe('serializeControlState', () => {
  it('writes keys in Tau’s order whatever order the object has, audit_head and unknown keys last', () => {
    const state = {
      future_key: 'kept',
      audit_head: { last_row_sha256: null, row_count: 0 },
      rollback_checkpoint: null,
      principal: 'p',
      last_action: 'pause',
      lifecycle_state: 'paused',
      updated_unix_ms: 5,
      schema_version: 1,
    } as ControlState;
    expect(serializeControlState(state)).toBe(
      '{\n  "schema_version": 1,\n  "updated_unix_ms": 5,\n  "lifecycle_state": "paused",\n  "last_action": "pause",\n  "principal": "p",\n  "rollback_checkpoint": null,\n  "audit_head": {\n    "row_count": 0,\n    "last_row_sha256": null\n  },\n  "future_key": "kept"\n}',
    );
  });

  it('writes a Tau file without rollback_checkpoint back with it as null (Tau reads a missing Option as None)', () => {
    const text = readFixture('control-state.tau.json').replace(',\n  "rollback_checkpoint": ".tau/training/policy-checkpoint.rollback.json"', '');
    expect(serializeControlState(parseControlState(text, 'x'))).toBe(`${text.slice(0, -2)},\n  "rollback_checkpoint": null\n}`);
  });

  it('round-trips any valid control state: parse(serialize(s)) equals s and re-serializes to the same bytes', () => {
    fc.assert(
      fc.property(controlStateArbitrary, (state) => {
        const text = serializeControlState(state);
        const parsed = parseControlState(text, 'x');
        expect(parsed).toEqual(state);
        expect(serializeControlState(parsed)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses to write a value Tau could not read', () => {
    const state = { ...parseControlState(readFixture('control-state.tau.json'), 'x'), updated_unix_ms: 2 ** 53 };
    const thrown = thrownBy(() => serializeControlState(state));
    expect(thrown).toBeInstanceOf(ArtifactSerializeError);
    expect(formatErrorChain(thrown)).toBe(
      'refusing to write an invalid training control state: field `updated_unix_ms`: integer 9007199254740992 exceeds 2^53-1 (9007199254740991)',
    );
  });
});

describe('serializeTrainingStatus', () => {
  it('omits optional keys that are absent or null instead of writing null', () => {
    const status = parseTrainingStatus(readFixture('status.rl-optimizer.tau.json'), 'x');
    const block = status.rl_optimizer;
    if (!block) throw new Error('fixture has rl_optimizer');
    const text = serializeTrainingStatus({ ...status, rl_optimizer: { ...block, mean_total_loss: null, skipped_reason: undefined } });
    expect(text).not.toContain('null');
    expect(text).not.toContain('mean_total_loss');
    expect(text).toContain('"observed_approx_kl": 1.25e-7');
    const withoutBlock: TrainingStatus = { ...status, rl_optimizer: null };
    expect(serializeTrainingStatus(withoutBlock)).not.toContain('rl_optimizer');
  });

  it('writes integral f64 values as serde does (1.0)', () => {
    const status = parseTrainingStatus(readFixture('status.rl-optimizer.tau.json'), 'x');
    expect(serializeTrainingStatus(status)).toContain('"mean_total_loss": 1.0,');
  });
});

describe('serializeRecoveryReport', () => {
  it('keeps unknown keys after Tau’s keys', () => {
    const text = readFixture('recovery-report.no-crash.tau.json').replace(/\n}$/, ',\n  "operator_note": {\n    "ticket": "OPS-1"\n  }\n}');
    expect(serializeRecoveryReport(parseRecoveryReport(text, 'x'))).toBe(text);
  });
});

describe('serializeAuditRow', () => {
  const row: AuditRow = {
    schema_version: 1,
    timestamp_unix_ms: 1,
    principal: 'line\nbreak',
    action: 'pause',
    action_key: 'control:rl:pause',
    lifecycle_state: 'paused',
    idempotent: false,
    rollback_checkpoint: null,
    recovery_checkpoint_source: null,
    host: 'h',
    os_user: 'u',
    prev_sha256: sha,
  };

  it('writes compact JSON, Tau’s keys then ours, and exactly one newline even when a value holds one', () => {
    const line = serializeAuditRow(row);
    expect(line).toBe(
      `{"schema_version":1,"timestamp_unix_ms":1,"principal":"line\\nbreak","action":"pause","action_key":"control:rl:pause","lifecycle_state":"paused","idempotent":false,"rollback_checkpoint":null,"recovery_checkpoint_source":null,"prev_sha256":"${sha}","os_user":"u","host":"h"}\n`,
    );
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(auditRowSchema.parse(parseJsonStrict(line))).toEqual(row);
  });

  it('refuses a malformed previous-row hash', () => {
    expect(() => serializeAuditRow({ ...row, prev_sha256: 'ABC' })).toThrow(ArtifactSerializeError);
  });
});

describe('serializeControlReport', () => {
  it('writes the report keys in order with nested artifacts in their own order', () => {
    const controlState = parseControlState(readFixture('control-state.extended.json'), 'x');
    const trainingStatus = parseTrainingStatus(readFixture('status.rl-optimizer.tau.json'), 'x');
    const report: ControlReport = {
      training_status: trainingStatus,
      control_state: controlState,
      recovery_replayed_audit_events: null,
      recovery_crash_detected: null,
      recovery_checkpoint_source: null,
      recovery_report_path: null,
      checkpoint_run_id: null,
      rollback_checkpoint: null,
      idempotent: null,
      principal: 'ops:bob',
      action: 'status',
      control_audit_path: 'd/control-audit.jsonl',
      control_state_path: 'd/control-state.json',
      state_dir: 'd',
      schema_version: 1,
    };
    const text = serializeControlReport(report);
    const indent = (block: string) => block.replace(/\n/g, '\n  ');
    expect(text).toBe(
      '{\n  "schema_version": 1,\n  "state_dir": "d",\n  "control_state_path": "d/control-state.json",\n  "control_audit_path": "d/control-audit.jsonl",\n  "action": "status",\n  "principal": "ops:bob",\n  "idempotent": null,\n  "rollback_checkpoint": null,\n  "checkpoint_run_id": null,\n  "recovery_report_path": null,\n  "recovery_checkpoint_source": null,\n  "recovery_crash_detected": null,\n  "recovery_replayed_audit_events": null,\n' +
        `  "control_state": ${indent(readFixture('control-state.extended.json'))},\n` +
        `  "training_status": ${indent(readFixture('status.rl-optimizer.tau.json'))}\n}`,
    );
  });

  it('writes our `diagnostics` extension last, only when given, and only as strings', () => {
    const report: ControlReport = {
      schema_version: 1,
      state_dir: 'd',
      control_state_path: 'd/control-state.json',
      control_audit_path: 'd/control-audit.jsonl',
      action: 'resume',
      principal: 'ops:bob',
      idempotent: true,
      rollback_checkpoint: null,
      checkpoint_run_id: null,
      recovery_report_path: null,
      recovery_checkpoint_source: null,
      recovery_crash_detected: null,
      recovery_replayed_audit_events: null,
      control_state: null,
      training_status: null,
    };
    expect(serializeControlReport(report)).toMatch(/"training_status": null\n}$/);
    const text = serializeControlReport({ diagnostics: ['dry run: nothing written'], ...report });
    // Only the document's own closing brace follows a newline without indentation.
    expect(text).toContain('"training_status": null,\n  "diagnostics": [\n    "dry run: nothing written"\n  ]\n}');
    expect(() => serializeControlReport({ ...report, diagnostics: [1] } as unknown as ControlReport)).toThrow(ArtifactSerializeError);
  });
});
