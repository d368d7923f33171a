// Real crashes at every durable operation of a commit: a child process runs
// the executor with `TAU_PO_FAILPOINT=crash@N` (or `torn@N` for writes) and is
// killed by SIGKILL there; then the next commands run here and must recover
// with no hand repair. Also the lock: a live child holding it makes us busy.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { formatErrorChain, readAuditHeadFile, readControlState, readRecoveryReport, type ControlAction } from '@tau/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runControlCommand } from './control-command.js';
import { exitCodeForError } from './control-errors.js';
import { verifyStateDirAuditLog } from './state-dir-audit-verification.js';
import { stateDirPaths } from './state-dir-paths.js';
import type { ControlRequest } from './control-request.js';
import {
  killChild,
  runControlCommandInChild,
  startLockHolder,
  traceControlCommandInChild,
  type TracedOperation,
} from './test-support/child-process-runners.js';
import {
  checkpointText,
  createWorkspace,
  OPERATOR,
  readAuditRows,
  removeWorkspace,
  writeStateFile,
  writeTrainingStatus,
  type Workspace,
} from './test-support/state-dir-fixture.js';

let ws: Workspace;
beforeEach(() => {
  ws = createWorkspace();
});
afterEach(() => removeWorkspace(ws));

function request(action: ControlAction): ControlRequest {
  return { action, stateDir: ws.stateDir, rbacPolicyPath: ws.policyPath, principal: OPERATOR };
}

/**
 * A state directory where a resume has the most to do: a crash to recover
 * (running, training still running, primary checkpoint) and a torn audit
 * tail to quarantine. Two committed rows.
 */
async function prepareCrashedRun(): Promise<void> {
  await runControlCommand(request('pause'));
  await runControlCommand(request('resume'));
  writeTrainingStatus(ws.stateDir, 'running');
  writeStateFile(ws.stateDir, 'policy-checkpoint.json', checkpointText('run-primary'));
  fs.appendFileSync(path.join(ws.stateDir, 'control-audit.jsonl'), '{"schema_version":1,"acti');
}

function traceOperations(action: ControlAction): TracedOperation[] {
  return traceControlCommandInChild(request(action), path.join(ws.root, 'trace.tsv'));
}

describe('a resume killed at each durable operation', () => {
  it('is recovered by the next commands with no hand repair', async () => {
    await prepareCrashedRun();
    const operations = traceOperations('resume');
    // The commit order, as the trace shows it: quarantine + truncate, pending report, audit append
    // (the commit point), report renamed into place, state, head file.
    const firstTouch = (name: string): number =>
      operations.findIndex((op) => op.target === name || op.target.startsWith(`.${name}.tmp-`));
    const order = [
      operations.findIndex((op) => op.kind === 'truncate'),
      firstTouch('recovery-report.pending.json'),
      operations.findIndex((op) => op.kind === 'append'),
      firstTouch('recovery-report.json'),
      firstTouch('control-state.json'),
      firstTouch('control-audit.head.json'),
    ];
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);

    const drills = operations.flatMap((op) =>
      op.kind === 'write' || op.kind === 'append' ? [`crash@${op.index}`, `torn@${op.index}`] : [`crash@${op.index}`],
    );
    for (const failpoint of drills) {
      removeWorkspace(ws);
      ws = createWorkspace();
      await prepareCrashedRun();
      const rowsBefore = readAuditRows(ws.stateDir);
      const killed = runControlCommandInChild(request('resume'), { TAU_PO_FAILPOINT: failpoint });
      expect(killed.signal, `${failpoint}: ${killed.stderr}`).toBe('SIGKILL');

      // Every artifact still parses, and status answers.
      const status = await runControlCommand(request('status'));
      expect(status.report.control_state?.lifecycle_state, failpoint).toBe('running');
      readRecoveryReport(path.join(ws.stateDir, 'recovery-report.json'));

      // The next resume succeeds (the crash is detected again and restored from the primary).
      const next = await runControlCommand(request('resume'));
      expect(next.recoveryReport, failpoint).toMatchObject({ crash_detected: true, checkpoint_source: 'primary' });
      const rowsAfter = readAuditRows(ws.stateDir);
      // No committed row lost; the killed resume added at most its one row.
      expect(rowsAfter.slice(0, rowsBefore.length), failpoint).toEqual(rowsBefore);
      expect(rowsAfter.length - rowsBefore.length, failpoint).toBeGreaterThanOrEqual(1);
      expect(rowsAfter.length - rowsBefore.length, failpoint).toBeLessThanOrEqual(2);
      // The log and the control state agree, and the chain verifies.
      const state = readControlState(path.join(ws.stateDir, 'control-state.json'));
      expect(state?.audit_head?.row_count, failpoint).toBe(rowsAfter.length);
      const { verification } = verifyStateDirAuditLog(stateDirPaths(ws.stateDir));
      expect(verification.ok, `${failpoint}: ${JSON.stringify(verification)}`).toBe(true);
      expect(verification.head_source, failpoint).toBe('file');
      expect(readAuditHeadFile(path.join(ws.stateDir, 'control-audit.head.json'))?.row_count, failpoint).toBe(rowsAfter.length);
      // The report in place is the one the last resume row commits; none is left pending.
      expect(fs.existsSync(path.join(ws.stateDir, 'recovery-report.pending.json')), failpoint).toBe(false);
      const reportDigest = createHash('sha256').update(fs.readFileSync(path.join(ws.stateDir, 'recovery-report.json'))).digest('hex');
      expect(rowsAfter.at(-1)?.recovery_report_sha256, failpoint).toBe(reportDigest);
      // No temp file survives the next mutating command.
      expect(fs.readdirSync(ws.stateDir).filter((name) => name.includes('.tmp-')), failpoint).toEqual([]);
    }
  });
});

describe('the state-directory lock', () => {
  it('a live child holding the lock makes commands busy (exit 5); once it is killed the next command proceeds', async () => {
    await runControlCommand(request('pause'));
    const holder = await startLockHolder(ws.stateDir);
    try {
      let busy: unknown;
      try {
        await runControlCommand(request('resume'));
      } catch (error) {
        busy = error;
      }
      expect(exitCodeForError(busy)).toBe(5);
      expect(formatErrorChain(busy)).toMatch(new RegExp(`^state directory is busy \\(held by pid ${holder.pid} on host `));
      // status takes no lock, so it still answers.
      const status = await runControlCommand(request('status'));
      expect(status.report.control_state?.lifecycle_state).toBe('paused');
      const child = runControlCommandInChild(request('cancel'));
      expect(child.status).toBe(5);
      expect(child.stderr).toMatch(/^state directory is busy/);
    } finally {
      await killChild(holder);
    }
    const outcome = await runControlCommand(request('resume'));
    expect(outcome.report.control_state?.lifecycle_state).toBe('running');
    expect(readAuditRows(ws.stateDir).map((row) => row.action)).toEqual(['pause', 'resume']);
  });
});
