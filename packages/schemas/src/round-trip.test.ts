import { describe, expect, it } from 'vitest';
import { serializeAuditRow, auditRowSchema } from './audit-row.js';
import { parseControlState, serializeControlState } from './control-state.js';
import { readFixture } from './fixture-files.test-support.js';
import { parseRecoveryReport, serializeRecoveryReport } from './recovery-report.js';
import { parseTrainingStatus, serializeTrainingStatus } from './training-status.js';
import { parseJsonStrict } from './strict-json.js';

describe('byte-exact round trip of Tau-written files', () => {
  it.each(['control-state.tau.json', 'control-state.extended.json'])('control state %s', (name) => {
    const text = readFixture(name);
    expect(serializeControlState(parseControlState(text, name))).toBe(text);
  });

  it.each(['status.tau.json', 'status.rl-optimizer.tau.json', 'status.rl-optimizer-skipped.tau.json'])(
    'training status %s',
    (name) => {
      const text = readFixture(name);
      expect(serializeTrainingStatus(parseTrainingStatus(text, name))).toBe(text);
    },
  );

  it.each(['recovery-report.tau.json', 'recovery-report.no-crash.tau.json'])('recovery report %s', (name) => {
    const text = readFixture(name);
    expect(serializeRecoveryReport(parseRecoveryReport(text, name))).toBe(text);
  });

  it.each(['control-audit.tau.jsonl', 'control-audit.extended.jsonl'])('audit rows of %s', (name) => {
    const text = readFixture(name);
    const rows = text.split(/(?<=\n)/);
    expect(rows.length).toBeGreaterThan(1);
    for (const line of rows) {
      const row = auditRowSchema.parse(parseJsonStrict(line));
      expect(serializeAuditRow(row)).toBe(line);
    }
  });
});
