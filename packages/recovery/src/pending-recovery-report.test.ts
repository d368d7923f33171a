// A recovery report is installed only when a committed row names its digest.
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { judgePendingReport, settlePendingRecoveryReport } from './pending-recovery-report.js';
import { stateDirPaths } from './state-dir-paths.js';
import { createWorkspace, removeWorkspace, type Workspace } from './test-support/state-dir-fixture.js';

let ws: Workspace;
beforeEach(() => {
  ws = createWorkspace();
  fs.mkdirSync(ws.stateDir);
});
afterEach(() => removeWorkspace(ws));

const D = 'd'.repeat(64);

describe('judgePendingReport', () => {
  it.each([
    ['the last row is the resume naming it', { action: 'resume', recovery_report_sha256: D }, 'install'],
    ['another digest', { action: 'resume', recovery_report_sha256: 'e'.repeat(64) }, 'quarantine'],
    ['a resume without digest (Tau)', { action: 'resume' }, 'quarantine'],
    ['a pause naming it', { action: 'pause', recovery_report_sha256: D }, 'quarantine'],
    ['no row', null, 'quarantine'],
  ] as const)('%s', (_name, row, verdict) => {
    expect(judgePendingReport(D, row)).toBe(verdict);
  });
});

describe('settlePendingRecoveryReport', () => {
  it('installs a committed report, moves an uncommitted one aside, ignores none', () => {
    const paths = stateDirPaths(ws.stateDir);
    expect(settlePendingRecoveryReport(paths, null, 1)).toBeNull();
    fs.writeFileSync(paths.pendingRecoveryReport, '{"new":1}');
    const digest = createHash('sha256').update('{"new":1}').digest('hex');
    expect(settlePendingRecoveryReport(paths, { action: 'resume', recovery_report_sha256: digest }, 1)).toMatch(/rolled forward/);
    expect(fs.readFileSync(paths.recoveryReport, 'utf8')).toBe('{"new":1}');
    fs.writeFileSync(paths.pendingRecoveryReport, '{"never committed":1}');
    expect(settlePendingRecoveryReport(paths, { action: 'resume', recovery_report_sha256: digest }, 7)).toMatch(/not committed .* moved aside/);
    expect(fs.readFileSync(paths.recoveryReport, 'utf8')).toBe('{"new":1}');
    expect(fs.existsSync(paths.pendingRecoveryReport)).toBe(false);
    expect(fs.readdirSync(ws.stateDir)).toContain('recovery-report.uncommitted-7.json');
  });
});
