import { appendFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureStateDirRestorePoint, restoreStateDir, StateDirRestoreError } from './state-dir-restore-point.js';
import { diffSnapshots, snapshotDirectory } from './state-dir-snapshot.js';

let stateDir: string;
beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'harness-restore-'));
  writeFileSync(join(stateDir, 'control-audit.jsonl'), '{"action":"pause"}\n{"action":"resume"}\n');
  writeFileSync(join(stateDir, 'control-state.json'), '{"lifecycle_state": "running"}');
  writeFileSync(join(stateDir, 'status.json'), '{}');
});
afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

describe('captureStateDirRestorePoint / restoreStateDir', () => {
  it('undoes what a control command does: an appended row, a replaced file, a new report, a leftover temp file', () => {
    const before = snapshotDirectory(stateDir);
    const point = captureStateDirRestorePoint(stateDir, 'control-audit.jsonl');
    appendFileSync(join(stateDir, 'control-audit.jsonl'), '{"action":"pause"}\n');
    writeFileSync(join(stateDir, 'control-state.json'), '{"lifecycle_state": "paused"}');
    writeFileSync(join(stateDir, 'recovery-report.json'), '{}');
    writeFileSync(join(stateDir, '.control-state.json.tmp-1-ab'), 'x');
    expect(diffSnapshots(before, snapshotDirectory(stateDir)).added).toHaveLength(2);
    restoreStateDir(point);
    expect(diffSnapshots(before, snapshotDirectory(stateDir))).toEqual({ added: [], removed: [], changed: [] });
  });

  it('refuses to "restore" a log that was cut shorter than captured', () => {
    const point = captureStateDirRestorePoint(stateDir, 'control-audit.jsonl');
    truncateSync(join(stateDir, 'control-audit.jsonl'), 5);
    expect(() => restoreStateDir(point)).toThrow(StateDirRestoreError);
  });
});
