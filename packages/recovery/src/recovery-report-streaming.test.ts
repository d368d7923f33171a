// Resume after a long run: the recovery report lists one action per audit row,
// so it is written in pieces (never one string). Same bytes, same single
// durable write for the failpoints, and a tear in the middle of the stream
// leaves nothing the next command cannot recover from.
import fs from 'node:fs';
import path from 'node:path';
import { readRecoveryReport, type ControlAction } from '@tau/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runControlCommand } from './control-command.js';
import type { ControlRequest } from './control-request.js';
import {
  runControlCommandInChild,
  traceControlCommandInChild,
  type TracedOperation,
} from './test-support/child-process-runners.js';
import { createWorkspace, OPERATOR, readAuditRows, removeWorkspace, writeStateFile, type Workspace } from './test-support/state-dir-fixture.js';

// Enough rows for a report of several 64 Ki pieces (~13 bytes per action), few enough for a fast test.
const ROWS = 30_000;

let ws: Workspace;

/** A fresh workspace whose log is a long history of status rows (non-mutating), then the pause that left the run paused. */
function createLongRunWorkspace(): Workspace {
  const workspace = createWorkspace();
  const history = `${'{"schema_version":1,"action":"status"}\n'.repeat(ROWS - 1)}{"schema_version":1,"action":"pause","lifecycle_state":"paused"}\n`;
  writeStateFile(workspace.stateDir, 'control-audit.jsonl', history);
  return workspace;
}

beforeEach(() => {
  ws = createLongRunWorkspace();
});
afterEach(() => removeWorkspace(ws));

function request(action: ControlAction): ControlRequest {
  return { action, stateDir: ws.stateDir, rbacPolicyPath: ws.policyPath, principal: OPERATOR };
}

const reportPath = (): string => path.join(ws.stateDir, 'recovery-report.json');

/** Runs resume in a child with a failpoint trace; the durable operations it did, in order. */
function traceResume(): TracedOperation[] {
  return traceControlCommandInChild(request('resume'), path.join(ws.root, 'trace.tsv'));
}

describe('resume after a long run', () => {
  it('writes the report, several pieces long, byte for byte as Tau lays it out', async () => {
    const outcome = await runControlCommand(request('resume'));
    const text = fs.readFileSync(reportPath(), 'utf8');
    expect(text.length).toBeGreaterThan(3 * 64 * 1024);
    // Independent of our writer: every number is a safe integer, so serde's pretty layout is JSON.stringify's.
    expect(text).toBe(JSON.stringify(outcome.recoveryReport, null, 2));
    const report = readRecoveryReport(reportPath());
    expect(report?.replayed_audit_events).toBe(ROWS);
    expect(report?.replayed_actions.at(-1)).toBe('pause');
    expect(outcome.report.recovery_replayed_audit_events).toBe(ROWS);
  });

  it('counts the streamed report as one write: the same 16 durable operations as a short log', () => {
    const operations = traceResume();
    expect(operations.map((op) => `${op.kind} ${op.target.replace(/\.tmp-.*$/, '.tmp')}`)).toEqual([
      'write .recovery-report.pending.json.tmp',
      'fsync .recovery-report.pending.json.tmp',
      'rename recovery-report.pending.json',
      'fsync state',
      'append control-audit.jsonl',
      'fsync control-audit.jsonl',
      'rename recovery-report.json',
      'fsync state',
      'write .control-state.json.tmp',
      'fsync .control-state.json.tmp',
      'rename control-state.json',
      'fsync state',
      'write .control-audit.head.json.tmp',
      'fsync .control-audit.head.json.tmp',
      'rename control-audit.head.json',
      'fsync state',
    ]);
    expect(operations).toHaveLength(16);
  });

  it('torn in the middle of the stream: most of the report in a temp file, the target untouched, the next resume recovers', async () => {
    const reportWrite = traceResume().find((op) => op.kind === 'write' && op.target.startsWith('.recovery-report.pending.json.tmp-'));
    expect(reportWrite).toBeDefined();
    removeWorkspace(ws);
    ws = createLongRunWorkspace();
    const killed = runControlCommandInChild(request('resume'), { TAU_PO_FAILPOINT: `torn@${reportWrite?.index ?? 0}` });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(fs.existsSync(reportPath())).toBe(false);
    const temp = fs.readdirSync(ws.stateDir).filter((name) => name.startsWith('.recovery-report.pending.json.tmp-'));
    expect(temp).toHaveLength(1);
    const tornBytes = fs.statSync(path.join(ws.stateDir, temp[0] as string)).size;
    expect(readAuditRows(ws.stateDir)).toHaveLength(ROWS);

    const next = await runControlCommand(request('resume'));
    const full = fs.statSync(reportPath()).size;
    // Every piece but the last was written, then half the last (pieces are ~64 Ki).
    expect(tornBytes).toBeGreaterThan(full - 64 * 1024 - 100);
    expect(tornBytes).toBeLessThan(full);
    expect(next.recoveryReport?.replayed_audit_events).toBe(ROWS);
    expect(fs.readdirSync(ws.stateDir).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });
});
