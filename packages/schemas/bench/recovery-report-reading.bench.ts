// `pnpm bench`: what every control command pays to read the recovery report
// of a resume after a long run (1M replayed actions, ~14 MB): in full, and
// validated in full without building the actions (what the commands use).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { readRecoveryReport, readRecoveryReportWithoutActions, serializeRecoveryReport } from '../src/index.js';

const COUNT = 1_000_000;
const table = ['pause', 'resume', 'cancel', 'rollback'];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-report-read-'));
const file = path.join(dir, 'recovery-report.json');
fs.writeFileSync(
  file,
  serializeRecoveryReport({
    schema_version: 1,
    recovered_at_unix_ms: 1796398726511,
    principal: 'local:rl-operator',
    crash_detected: true,
    prior_lifecycle_state: 'running',
    prior_training_state: 'running',
    replayed_audit_events: COUNT,
    replayed_actions: Array.from({ length: COUNT }, (_, index) => table[[0, 1, 2, 1, 3, 1][index % 6] as number] as string),
    checkpoint_source: 'primary',
    checkpoint_run_id: 'po-run-20260101-a',
    checkpoint_global_step: 1200,
    checkpoint_optimizer_step: 300,
    diagnostics: [],
  }),
);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('reading a recovery report with 1M replayed actions', () => {
  bench('readRecoveryReport (every action a string)', () => {
    readRecoveryReport(file);
  });
  bench('readRecoveryReportWithoutActions (actions checked as bytes)', () => {
    readRecoveryReportWithoutActions(file);
  });
});
