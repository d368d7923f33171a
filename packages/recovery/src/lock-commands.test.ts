import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { replayAuditLog, verifyAuditChain } from '@tau/audit-log';
import { readControlState } from '@tau/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runControlCommand } from './control-command.js';
import { exitCodeForError } from './control-errors.js';
import { breakLockCommand, lockStatusCommand, renderLockBreak, renderLockStatus } from './lock-commands.js';
import { killChild, startLockHolder } from './test-support/child-process-runners.js';
import { createWorkspace, OPERATOR, readAuditRows, removeWorkspace, snapshotDirectory, type Workspace } from './test-support/state-dir-fixture.js';

let ws: Workspace;
let lockPath: string;
beforeEach(() => {
  ws = createWorkspace();
  lockPath = path.join(ws.stateDir, '.tau-po.lock');
});
afterEach(() => removeWorkspace(ws));

const request = (principal = OPERATOR) => ({ stateDir: ws.stateDir, rbacPolicyPath: ws.policyPath, principal });

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

function writeForeignLock(fields: Record<string, unknown> = {}): void {
  fs.mkdirSync(ws.stateDir, { recursive: true });
  fs.writeFileSync(
    lockPath,
    JSON.stringify({ pid: 4242, host: 'elsewhere.example', since_unix_ms: Date.now() - 90_000, command: 'resume', token: 'theirs', ...fields }),
  );
}

describe('lock status', () => {
  it('free when the directory or the lock file is missing', () => {
    expect(lockStatusCommand(ws.stateDir)).toMatchObject({ state: 'free', holder: null });
    fs.mkdirSync(ws.stateDir, { recursive: true });
    expect(renderLockStatus(lockStatusCommand(ws.stateDir))).toBe(`lock ${lockPath}: free`);
  });

  it('names the holder, its age, and why it cannot be judged', () => {
    writeForeignLock();
    const report = lockStatusCommand(ws.stateDir);
    expect(report).toMatchObject({ state: 'held', holder: { pid: 4242, host: 'elsewhere.example', verdict: 'unknown', reason: 'other-host' } });
    expect(report.holder?.age_ms).toBeGreaterThanOrEqual(90_000);
    expect(renderLockStatus(report)).toMatch(
      /^lock .*: held by pid 4242 on host elsewhere.example \(resume\) since .* \(90 s ago\); cannot be judged: it was taken on another host/,
    );
  });

  it('reports a live holder as alive and a killed one as provably stale', async () => {
    fs.mkdirSync(ws.stateDir, { recursive: true });
    const holder = await startLockHolder(ws.stateDir);
    try {
      expect(lockStatusCommand(ws.stateDir).holder).toMatchObject({ pid: holder.pid, host: os.hostname(), verdict: 'alive' });
    } finally {
      await killChild(holder);
    }
    expect(lockStatusCommand(ws.stateDir).holder).toMatchObject({ verdict: 'stale', reason: 'pid-gone' });
  });

  it('reports what else is at the lock path', () => {
    fs.mkdirSync(ws.stateDir, { recursive: true });
    fs.symlinkSync('missing-target', lockPath);
    const report = lockStatusCommand(ws.stateDir);
    expect(report).toMatchObject({ state: 'not_a_lock_file', holder: null });
    expect(report.problem).toContain("is a symbolic link to 'missing-target', which does not exist, not a lock file");
  });
});

describe('lock break', () => {
  it('breaks a lock of another host and records it as a chained audit row Tau can replay', async () => {
    await runControlCommand({ action: 'pause', ...request() }, {});
    writeForeignLock();
    const outcome = await breakLockCommand(request(), {}, { now: () => 1_800_000_000_000 });
    expect(outcome.broken).toMatchObject({ pid: 4242, host: 'elsewhere.example', verdict: 'unknown', reason: 'other-host' });
    expect(renderLockBreak(outcome)).toMatch(/broke the lock of pid 4242 on host elsewhere.example .*recorded as audit row 2 \(action lock_break, principal local:rl-operator\)$/);
    expect(fs.readdirSync(ws.stateDir).filter((name) => name.startsWith('.tau-po.lock'))).toEqual([]);

    const rows = readAuditRows(ws.stateDir);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({
      action: 'lock_break',
      action_key: 'control:rl:resume',
      principal: OPERATOR,
      timestamp_unix_ms: 1_800_000_000_000,
      lifecycle_state: 'paused',
      idempotent: false,
      broken_lock: { pid: 4242, host: 'elsewhere.example', command: 'resume', verdict: 'unknown', reason: 'other-host' },
    });
    // The holder's token is not evidence anyone needs; it stays out of the log.
    expect(rows[1]?.broken_lock).not.toHaveProperty('token');
    const auditPath = path.join(ws.stateDir, 'control-audit.jsonl');
    const head = readControlState(path.join(ws.stateDir, 'control-state.json'))?.audit_head;
    expect(head?.row_count).toBe(2);
    expect(verifyAuditChain(auditPath, head ?? null).ok).toBe(true);
    expect(replayAuditLog(auditPath).replayed_actions?.toJSON()).toEqual(['pause', 'lock_break']);
    // The lifecycle is untouched, and the next command runs.
    const status = await runControlCommand({ action: 'status', ...request() }, {});
    expect(status.report.control_state?.lifecycle_state).toBe('paused');
    expect(status.diagnostics).toEqual([]);
    await runControlCommand({ action: 'resume', ...request() }, {});
  });

  it('refuses a log that fails verification (edited last row): nothing changed, the lock kept', async () => {
    await runControlCommand({ action: 'pause', ...request() }, {});
    await runControlCommand({ action: 'resume', ...request() }, {});
    const auditPath = path.join(ws.stateDir, 'control-audit.jsonl');
    const text = fs.readFileSync(auditPath, 'utf8');
    const edited = text.replace(/"principal":"local:rl-operator"(?=[^\n]*\n$)/, '"principal":"local:intruder"');
    expect(edited).not.toBe(text);
    fs.writeFileSync(auditPath, edited);
    writeForeignLock();
    const before = snapshotDirectory(ws.stateDir);
    const error = await failureOf(breakLockCommand(request(), {}));
    expect((error as Error).message).toMatch(/fails verification: head_mismatch/);
    expect(exitCodeForError(error)).toBe(1);
    expect(snapshotDirectory(ws.stateDir)).toEqual(before);
  });

  it('refuses a live holder (exit 5) and changes nothing', async () => {
    await runControlCommand({ action: 'pause', ...request() }, {});
    const holder = await startLockHolder(ws.stateDir);
    try {
      const before = snapshotDirectory(ws.stateDir);
      const error = await failureOf(breakLockCommand(request(), {}));
      expect((error as Error).message).toMatch(/^refusing to break the lock '.*': its holder is alive/);
      expect(exitCodeForError(error)).toBe(5);
      expect(snapshotDirectory(ws.stateDir)).toEqual(before);
    } finally {
      await killChild(holder);
    }
  });

  it('needs control:rl:resume (exit 3), checked before the lock is looked at', async () => {
    writeForeignLock();
    const error = await failureOf(breakLockCommand(request('local:viewer'), {}));
    expect(exitCodeForError(error)).toBe(3);
    expect(JSON.parse(fs.readFileSync(lockPath, 'utf8')).token).toBe('theirs');
  });

  it('has nothing to break on a free lock, and writes nothing', async () => {
    expect((await breakLockCommand(request(), {})).broken).toBeNull();
    expect(fs.existsSync(ws.stateDir)).toBe(false);
  });

  it('leaves something that is not a lock file alone (exit 1)', async () => {
    fs.mkdirSync(lockPath, { recursive: true });
    const error = await failureOf(breakLockCommand(request(), {}));
    expect(exitCodeForError(error)).toBe(1);
    expect(fs.statSync(lockPath).isDirectory()).toBe(true);
  });

  it('breaks nothing when the row could not be committed (an unwritable audit log)', async () => {
    writeForeignLock();
    fs.mkdirSync(path.join(ws.stateDir, 'control-audit.jsonl'));
    const error = await failureOf(breakLockCommand(request(), {}));
    expect(exitCodeForError(error)).toBe(1);
    expect(JSON.parse(fs.readFileSync(lockPath, 'utf8')).token).toBe('theirs');
  });
});
