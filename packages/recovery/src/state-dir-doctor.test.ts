import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runControlCommand } from './control-command.js';
import { diagnoseStateDir, renderDoctorReport, type DoctorReport } from './state-dir-doctor.js';
import { killChild, startLockHolder } from './test-support/child-process-runners.js';
import {
  checkpointText,
  createWorkspace,
  OPERATOR,
  removeWorkspace,
  snapshotDirectory,
  writeStateFile,
  writeTrainingStatus,
  type Workspace,
} from './test-support/state-dir-fixture.js';

let ws: Workspace;
beforeEach(() => {
  ws = createWorkspace();
});
afterEach(() => removeWorkspace(ws));

const doctor = (principal = OPERATOR): Promise<DoctorReport> =>
  diagnoseStateDir({ stateDir: ws.stateDir, rbacPolicyPath: ws.policyPath, principal }, {});

function check(report: DoctorReport, name: string): { ok: boolean; detail: string } {
  const found = report.checks.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no check named ${name}`);
  return found;
}

async function crashedRun(): Promise<void> {
  await runControlCommand({ action: 'resume', stateDir: ws.stateDir, rbacPolicyPath: ws.policyPath, principal: OPERATOR }, {});
  writeTrainingStatus(ws.stateDir, 'running');
}

describe('diagnoseStateDir', () => {
  it('a state directory that does not exist: an error naming it, nothing created', async () => {
    await expect(doctor()).rejects.toThrow(`state directory '${ws.stateDir}' does not exist`);
    expect(fs.existsSync(ws.stateDir)).toBe(false);
  });

  it('a fresh (empty) state directory: resume would succeed, nothing to restore, nothing written', async () => {
    fs.mkdirSync(ws.stateDir);
    const before = snapshotDirectory(ws.stateDir);
    const report = await doctor();
    expect(report).toMatchObject({
      resume_would_succeed: true,
      resume_crash_detected: false,
      resume_checkpoint_source: null,
      resume_exit_code: 0,
      lock: null,
    });
    expect(check(report, 'state directory')).toMatchObject({ ok: true, detail: expect.stringMatching(/exists$/) });
    expect(snapshotDirectory(ws.stateDir)).toEqual(before);
  });

  it('crash with a corrupt primary: resume would restore from the fallback', async () => {
    await crashedRun();
    writeStateFile(ws.stateDir, 'policy-checkpoint.json', 'not json');
    writeStateFile(ws.stateDir, 'policy-checkpoint.rollback.json', checkpointText('run-fb'));
    const before = snapshotDirectory(ws.stateDir);
    const report = await doctor();
    expect(snapshotDirectory(ws.stateDir)).toEqual(before);
    expect(report).toMatchObject({
      resume_would_succeed: true,
      resume_crash_detected: true,
      resume_checkpoint_source: 'fallback',
      resume_checkpoint_run_id: 'run-fb',
    });
    expect(check(report, 'primary checkpoint').ok).toBe(false);
    expect(check(report, 'fallback checkpoint')).toMatchObject({ ok: true, detail: expect.stringMatching(/^run_id=run-fb /) });
    expect(check(report, 'crash detection').detail).toMatch(/^crash detected/);
    expect(renderDoctorReport(report).split('\n').at(-1)).toBe(
      'resume would succeed: crash detected, restores from the fallback checkpoint (run_id=run-fb)',
    );
  });

  it('crash with no usable checkpoint: the guardrail, exit 4', async () => {
    await crashedRun();
    const report = await doctor();
    expect(report.resume_would_succeed).toBe(false);
    expect(report.resume_exit_code).toBe(4);
    expect(report.resume_error).toMatch(/^resume recovery guardrail: /);
    expect(renderDoctorReport(report)).toMatch(/\nresume would fail \(exit 4\): resume recovery guardrail: /);
  });

  it('reports every broken artifact, not just the first', async () => {
    await crashedRun();
    writeStateFile(ws.stateDir, 'recovery-report.json', '[]');
    fs.appendFileSync(path.join(ws.stateDir, 'control-audit.jsonl'), 'oops\n');
    const report = await doctor();
    expect(check(report, 'recovery report').ok).toBe(false);
    expect(check(report, 'audit log')).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^failed to parse training control audit line 2 from /),
    });
    expect(check(report, 'control state').ok).toBe(true);
    expect(report.resume_would_succeed).toBe(false);
    expect(report.resume_exit_code).toBe(1);
  });

  it('a state file a resume could not write fails its check and the verdict, and doctor writes nothing', async () => {
    await runControlCommand({ action: 'pause', stateDir: ws.stateDir, rbacPolicyPath: ws.policyPath, principal: OPERATOR }, {});
    expect(check(await doctor(), 'state files')).toEqual({ name: 'state files', ok: true, detail: 'every file a resume writes can be written' });
    const state = path.join(ws.stateDir, 'control-state.json');
    fs.rmSync(state);
    fs.symlinkSync('/nowhere', state);
    fs.mkdirSync(path.join(ws.stateDir, 'recovery-report.json'));
    const report = await doctor();
    expect(check(report, 'state files')).toMatchObject({
      ok: false,
      detail: `cannot write '${ws.stateDir}/recovery-report.json': it is a directory, not a regular file; cannot write '${state}': it is a symbolic link to '/nowhere', which does not exist`,
    });
    expect(report).toMatchObject({ resume_would_succeed: false, resume_exit_code: 1 });
    expect(report.resume_error).toMatch(/^failed to read training recovery report /);
    fs.rmdirSync(path.join(ws.stateDir, 'recovery-report.json'));
    expect((await doctor()).resume_error).toBe(
      `cannot write state file '${state}' (nothing was changed): it is a symbolic link to '/nowhere', which does not exist`,
    );
    expect(fs.readlinkSync(state)).toBe('/nowhere');
  });

  it('a denied principal and a missing policy are reported, exit 3', async () => {
    fs.mkdirSync(ws.stateDir);
    const denied = await doctor('local:viewer');
    expect(check(denied, 'authorization')).toMatchObject({ ok: false, detail: expect.stringMatching(/denied reason_code=deny_no_matching_allow/) });
    expect(denied.resume_exit_code).toBe(3);
    fs.rmSync(ws.policyPath);
    const missing = await doctor();
    expect(check(missing, 'rbac policy')).toMatchObject({ ok: false, detail: expect.stringContaining('does not exist') });
    expect(missing.resume_exit_code).toBe(3);
  });

  it('a lock held by a live process makes resume fail (busy), a stale one does not', async () => {
    await runControlCommand({ action: 'pause', stateDir: ws.stateDir, rbacPolicyPath: ws.policyPath, principal: OPERATOR }, {});
    const holder = await startLockHolder(ws.stateDir);
    try {
      const busy = await doctor();
      expect(busy).toMatchObject({ resume_would_succeed: false, resume_exit_code: 5 });
      expect(check(busy, 'lock')).toMatchObject({ ok: false, detail: expect.stringContaining(`pid ${holder.pid}`) });
    } finally {
      await killChild(holder);
    }
    const stale = await doctor();
    expect(stale.resume_would_succeed).toBe(true);
    expect(check(stale, 'lock')).toMatchObject({ ok: true, detail: expect.stringMatching(/; provably stale: its process no longer exists on this host; the next command takes it over$/) });
  });

  it('a lock of another host cannot be judged: resume would be busy, and doctor says how to break it', async () => {
    fs.mkdirSync(ws.stateDir, { recursive: true });
    fs.writeFileSync(
      path.join(ws.stateDir, '.tau-po.lock'),
      JSON.stringify({ pid: 1, host: 'elsewhere.example', since_unix_ms: 1, command: 'pause', token: 't' }),
    );
    const report = await doctor();
    expect(report).toMatchObject({ resume_would_succeed: false, resume_exit_code: 5, lock: { verdict: 'unknown', reason: 'other-host' } });
    expect(check(report, 'lock')).toMatchObject({ ok: false, detail: expect.stringContaining('cannot be judged: it was taken on another host') });
    expect(report.resume_error).toMatch(/^state directory is busy \(held by pid 1 on host elsewhere.example .*run `tau-po lock break`$/);
  });

  it.each<[string, (lockPath: string) => void, string]>([
    ['a dangling symbolic link', (lockPath) => fs.symlinkSync('/nonexistent/tau-po.lock', lockPath), "is a symbolic link to '/nonexistent/tau-po.lock', which does not exist"],
    ['a directory', (lockPath) => fs.mkdirSync(lockPath), 'is a directory'],
  ])('%s at the lock path fails the lock check and the verdict (exit 1), and is left alone', async (_name, make, what) => {
    fs.mkdirSync(ws.stateDir, { recursive: true });
    const lockPath = path.join(ws.stateDir, '.tau-po.lock');
    make(lockPath);
    const report = await doctor();
    const message = `state directory lock path '${lockPath}' ${what}, not a lock file; tau-po never follows or removes it: inspect it and remove it by hand`;
    expect(check(report, 'lock')).toEqual({ name: 'lock', ok: false, detail: message });
    expect(report).toMatchObject({ resume_would_succeed: false, resume_exit_code: 1, resume_error: message, lock: null });
    expect(fs.lstatSync(lockPath).isFile()).toBe(false);
  });

  it('an edited audit log shows in the chain check and blocks resume until accepted', async () => {
    const req = { stateDir: ws.stateDir, rbacPolicyPath: ws.policyPath, principal: OPERATOR };
    await runControlCommand({ ...req, action: 'pause' }, {});
    await runControlCommand({ ...req, action: 'cancel' }, {});
    const log = path.join(ws.stateDir, 'control-audit.jsonl');
    fs.writeFileSync(log, fs.readFileSync(log, 'utf8').replace('"principal":"local:rl-operator"', '"principal":"local:mallory"'));
    const report = await doctor();
    expect(check(report, 'audit chain').ok).toBe(false);
    expect(report.resume_would_succeed).toBe(false);
    expect(report.resume_error).toMatch(/fails verification: edited_or_deleted at line 2: .*tau-po audit verify/);
  });
});

describe('diagnoseStateDir: pending roll-forward', () => {
  it('reports a committed row not applied and a pending report, and says which way each goes', async () => {
    const req = { stateDir: ws.stateDir, rbacPolicyPath: ws.policyPath, principal: OPERATOR };
    await runControlCommand({ ...req, action: 'pause' }, {});
    const head = fs.readFileSync(path.join(ws.stateDir, 'control-audit.head.json'));
    const state = fs.readFileSync(path.join(ws.stateDir, 'control-state.json'));
    await runControlCommand({ ...req, action: 'cancel' }, {});
    // The cancel committed; its state and head file writes "lost"; a report no row names left pending.
    fs.writeFileSync(path.join(ws.stateDir, 'control-audit.head.json'), head);
    fs.writeFileSync(path.join(ws.stateDir, 'control-state.json'), state);
    fs.writeFileSync(path.join(ws.stateDir, 'recovery-report.pending.json'), '{}');
    const detail = check(await doctor(), 'pending roll-forward').detail;
    expect(detail).toMatch(/a committed audit row is not applied yet/);
    expect(detail).toMatch(/recovery-report\.pending\.json' is committed by no audit row: the next mutating command moves it aside/);
  });
});
