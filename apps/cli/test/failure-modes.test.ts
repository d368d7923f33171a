// The runbook's failure modes and every exit status, through the real CLI
// process: the error chain on one stderr line, stdout empty, nothing written.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { acquireStateDirLock } from '@tau/durable-fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTauPo, type TauPoRun } from './built-cli.js';
import {
  controlState,
  createCliWorkspace,
  describeTree,
  OPERATOR_POLICY,
  policyCheckpoint,
  removeCliWorkspace,
  tauAuditRows,
  trainingStatus,
  writeStateDir,
} from './state-dir-fixture.js';
import { serializeAuditRow } from '@tau/schemas';

let workDir: string;
let stateDir: string;
let policyPath: string;

function tauPo(args: string[], principal = 'local:rl-operator'): TauPoRun {
  return runTauPo([...args, '--state-dir', stateDir, '--rbac-policy', policyPath, '--principal', principal]);
}

/** A failed run: exit status, stdout empty, the whole chain on exactly one stderr line. */
function expectFailure(run: TauPoRun, status: number, chain: RegExp): void {
  expect(run.stdout).toBe('');
  expect(run.status).toBe(status);
  const lines = run.stderr.split('\n');
  expect(lines.at(-1)).toBe('');
  expect(lines[0]).toMatch(chain);
  if (status !== 2) expect(lines).toHaveLength(2);
}

beforeEach(() => {
  ({ workDir, stateDir, policyPath } = createCliWorkspace());
});

afterEach(() => removeCliWorkspace(workDir));

describe("the runbook's failure modes", () => {
  it('crash with no usable checkpoint fails closed with the guardrail (exit 4) and writes nothing', () => {
    writeStateDir(stateDir, {
      controlState: controlState('running', 'resume'),
      auditRows: tauAuditRows(4),
      trainingStatus: trainingStatus('running'),
      primaryCheckpoint: '{"checkpoint_version": 1, "run_id": ""',
    });
    const before = describeTree(stateDir);
    const run = tauPo(['resume']);
    const primary = `${stateDir}/policy-checkpoint.json`;
    const fallback = `${stateDir}/policy-checkpoint.rollback.json`;
    expectFailure(
      run,
      4,
      new RegExp(
        `^resume recovery guardrail: crash detected but checkpoint restore failed \\(primary='${primary}' fallback='${fallback}'\\): ` +
          'primary checkpoint load failed: .+; fallback checkpoint load failed: .+',
      ),
    );
    expect(describeTree(stateDir)).toEqual(before);
  });

  it('a corrupted primary falls back, with checkpoint_source=fallback and the primary failure in diagnostics', () => {
    writeStateDir(stateDir, {
      controlState: controlState('running', 'resume'),
      trainingStatus: trainingStatus('running'),
      primaryCheckpoint: '{"checkpoint_version": 1, "run_id": "half-writ',
      fallbackCheckpoint: policyCheckpoint('run-fallback', 4100),
    });
    const run = tauPo(['resume', '--json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ recovery_checkpoint_source: 'fallback', checkpoint_run_id: 'run-fallback' });
    const report = JSON.parse(fs.readFileSync(path.join(stateDir, 'recovery-report.json'), 'utf8')) as Record<string, unknown>;
    expect(report).toMatchObject({ crash_detected: true, checkpoint_source: 'fallback', checkpoint_run_id: 'run-fallback' });
    expect(report['diagnostics']).toEqual(
      expect.arrayContaining([expect.stringMatching(/^primary checkpoint load failed: parse checkpoint JSON .*policy-checkpoint\.json/)]),
    );
    const text = tauPo(['status']);
    expect(text.stdout).toContain(' recovery_checkpoint_source=fallback ');
  });

  it('a malformed audit row fails with line-indexed context and writes nothing', () => {
    const rows = tauAuditRows(3).map(serializeAuditRow);
    writeStateDir(stateDir, {
      controlState: controlState('paused', 'pause'),
      auditText: `${rows[0]}\n${rows[1]}{"action": pause}\n${rows[2]}`,
    });
    const before = describeTree(stateDir);
    const run = tauPo(['resume']);
    expectFailure(run, 1, new RegExp(`^failed to parse training control audit line 4 from '${stateDir}/control-audit.jsonl': .+`));
    expect(describeTree(stateDir)).toEqual(before);
  });
});

// Not on a terminal (stderr is a pipe here), so the --json document is the
// only place a script can read what the command found.
describe('diagnostics in the --json document', () => {
  it('a dry run prints the primary failure it found, and writes nothing', () => {
    writeStateDir(stateDir, {
      controlState: controlState('running', 'resume'),
      trainingStatus: trainingStatus('running'),
      primaryCheckpoint: '{"checkpoint_version": 1, "run_id": "half-writ',
      fallbackCheckpoint: policyCheckpoint('run-fallback', 4100),
    });
    const before = describeTree(stateDir, { directories: true });
    const run = tauPo(['resume', '--dry-run', '--json']);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(report).at(-1)).toBe('diagnostics');
    expect(report['diagnostics']).toEqual([
      expect.stringMatching(/^primary checkpoint load failed: parse checkpoint JSON .*policy-checkpoint\.json: /),
      'dry run: nothing written',
    ]);
    expect(report).toMatchObject({ checkpoint_run_id: 'run-fallback', recovery_checkpoint_source: 'fallback' });
    expect(describeTree(stateDir, { directories: true })).toEqual(before);
  });

  it('a pause that moves a torn audit tail aside says where it went', () => {
    const rows = tauAuditRows(2).map(serializeAuditRow);
    writeStateDir(stateDir, {
      controlState: controlState('running', 'resume'),
      auditText: `${rows[0]}${rows[1]}{"schema_version":1,"timestamp_unix_ms":17`,
    });
    const run = tauPo(['pause', '--json']);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    const quarantine = fs.readdirSync(stateDir).filter((name) => name.startsWith('control-audit.jsonl.torn-'));
    expect(quarantine).toHaveLength(1);
    expect(report['diagnostics']).toEqual([
      expect.stringMatching(new RegExp(`^audit log had a torn final line \\(line 3, .*moved to ${stateDir}/${quarantine[0]}$`)),
    ]);
  });
});

describe('exit statuses', () => {
  it('denied by policy: exit 3, nothing touched (the state dir is not even created)', () => {
    const run = tauPo(['pause'], 'local:observer');
    expectFailure(
      run,
      3,
      /^failed to authorize prompt-optimization lifecycle control action 'pause': unauthorized rl lifecycle action: principal=local:observer action=control:rl:pause reason_code=deny_no_matching_allow$/,
    );
    expect(fs.existsSync(stateDir)).toBe(false);
  });

  it('missing policy file: exit 3 with the reason and how to fix it', () => {
    writeStateDir(stateDir, { controlState: controlState('paused', 'pause') });
    const before = describeTree(stateDir);
    policyPath = path.join(workDir, 'no-such-policy.json');
    const run = tauPo(['resume']);
    expectFailure(
      run,
      3,
      /^failed to authorize prompt-optimization lifecycle control action 'resume': unauthorized rl lifecycle action: principal=local:rl-operator action=control:rl:resume reason_code=deny_policy_missing: rbac policy file '.*no-such-policy\.json' does not exist/,
    );
    expect(describeTree(stateDir)).toEqual(before);
  });

  it('state dir busy (a live process holds the lock): exit 5', () => {
    writeStateDir(stateDir, { controlState: controlState('paused', 'pause') });
    const lock = acquireStateDirLock(stateDir, { command: 'integration-test' });
    try {
      const before = describeTree(stateDir);
      const run = tauPo(['resume']);
      expectFailure(run, 5, new RegExp(`state directory is busy \\(held by pid ${process.pid} on host .+ since .+\\)`));
      expect(describeTree(stateDir)).toEqual(before);
    } finally {
      lock.release();
    }
    expect(tauPo(['resume']).status).toBe(0);
  });

  it.each([
    [[], /^no control action given; choose exactly one of: status, pause, resume, cancel, rollback <checkpoint>$/],
    [['pause', '--prompt-optimization-control-resume'], /^conflicting control actions \(pause, resume\); choose exactly one of: status, pause, resume, cancel, rollback <checkpoint>$/],
    [['resume', '--no-such-flag'], /^Unknown arguments?: .*no-such-flag/],
    [['rollback'], /Not enough non-option arguments|checkpoint/],
    [['status', '--dry-run'], /--dry-run is only accepted by resume/],
  ])('usage error %j: exit 2, the message and a usage hint naming the choices', (args, message) => {
    const run = tauPo(args);
    expectFailure(run, 2, message);
    const lines = run.stderr.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^usage: tau-po <status\|pause\|resume\|cancel\|rollback <checkpoint>>/);
    expect(fs.existsSync(stateDir)).toBe(false);
  });

  it('any other failure: exit 1 (a malformed control state fails every command, status included)', () => {
    writeStateDir(stateDir, {});
    fs.writeFileSync(path.join(stateDir, 'control-state.json'), '{"schema_version": 1, "lifecycle_state": ');
    for (const action of ['status', 'pause']) {
      expectFailure(tauPo([action]), 1, new RegExp(`^failed to parse training control state '${stateDir}/control-state.json': .+`));
    }
  });

  it('prints the chain on one line, a newline in a path shown as \\n', () => {
    stateDir = path.join(workDir, 'two\nlines');
    writeStateDir(stateDir, {});
    fs.writeFileSync(path.join(stateDir, 'control-state.json'), '[]');
    expectFailure(tauPo(['status']), 1, /^failed to parse training control state '.*two\\nlines\/control-state\.json': .+/);
  });

  it('an invalid rollback checkpoint: exit 1, nothing written', () => {
    writeStateDir(stateDir, { controlState: controlState('running', 'resume') });
    const bad = path.join(workDir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ ...policyCheckpoint('x'), run_id: '' }));
    const before = describeTree(stateDir);
    expectFailure(tauPo(['rollback', bad]), 1, new RegExp(`^failed to load rollback checkpoint '${bad}': .*run_id`));
    expect(describeTree(stateDir)).toEqual(before);
  });

  it.each([
    ['/dev/zero', 'a character device'],
    ['a FIFO', 'a FIFO'],
    ['a directory', 'a directory'],
    ['a symlink to a FIFO', 'a FIFO'],
  ])('--rbac-policy naming %s: refused at once (never blocks), naming the path and what it is, nothing written', (name, kind) => {
    const fifo = path.join(workDir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    const link = path.join(workDir, 'link.json');
    fs.symlinkSync(fifo, link);
    const target = { '/dev/zero': '/dev/zero', 'a FIFO': fifo, 'a directory': workDir, 'a symlink to a FIFO': link }[name] as string;
    writeStateDir(stateDir, { controlState: controlState('paused', 'pause') });
    const before = describeTree(stateDir);
    const run = runTauPo(['resume', '--state-dir', stateDir, '--rbac-policy', target, '--principal', 'local:rl-operator']);
    expectFailure(run, 1, new RegExp(`^failed to authorize prompt-optimization lifecycle control action 'resume': failed to read rbac policy file ${target}: the path is ${kind}, not a regular file$`));
    expect(describeTree(stateDir)).toEqual(before);
  });

  it('an invalid policy file: exit 1 with Tau\'s bare rule message; an unparsable one names the file', () => {
    fs.writeFileSync(policyPath, JSON.stringify({ ...OPERATOR_POLICY, schema_version: 2 }));
    expectFailure(tauPo(['status']), 1, /^failed to authorize prompt-optimization lifecycle control action 'status': unsupported rbac schema version 2 \(expected 1\)$/);
    fs.writeFileSync(policyPath, '{"schema_version": 1,');
    expectFailure(tauPo(['status']), 1, /^failed to authorize prompt-optimization lifecycle control action 'status': failed to parse rbac policy file .*rbac\.json: /);
  });
});
