// `pnpm bench`: what every control command pays to read the recovery report
// of a resume after a long run (1M replayed actions, ~14 MB): in full, and
// validated in full without building the actions (what the commands use).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { readRecoveryReport, readRecoveryReportWithoutActions, serializeRecoveryReport } from '../src/index.js';
import { longRunRecoveryReport } from './long-run-recovery-report.js';

const COUNT = 1_000_000;
const table = ['pause', 'resume', 'cancel', 'rollback'];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-report-read-'));
const file = path.join(dir, 'recovery-report.json');
fs.writeFileSync(
  file,
  serializeRecoveryReport(
    longRunRecoveryReport(Array.from({ length: COUNT }, (_, index) => table[[0, 1, 2, 1, 3, 1][index % 6] as number] as string)),
  ),
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
