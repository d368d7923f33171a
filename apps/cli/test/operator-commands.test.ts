// The operator commands and every command's --help, through the built CLI.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTauPo, type TauPoRun } from './built-cli.js';
import {
  controlState,
  createCliWorkspace,
  policyCheckpoint,
  removeCliWorkspace,
  tauAuditRows,
  trainingStatus,
  writeStateDir,
} from './state-dir-fixture.js';

let workDir: string;
let stateDir: string;
let policyPath: string;

beforeEach(() => {
  ({ workDir, stateDir, policyPath } = createCliWorkspace());
});

afterEach(() => removeCliWorkspace(workDir));

const who = () => ['--rbac-policy', policyPath, '--principal', 'local:rl-operator'];

/** A --json run: exit status as given, exactly one JSON document and a newline on stdout. */
function jsonDocument(run: TauPoRun, status = 0): Record<string, unknown> {
  expect(run.status, run.stderr).toBe(status);
  expect(run.stdout.endsWith('}\n')).toBe(true);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

function pauseThenResume(): void {
  for (const action of ['pause', 'resume']) expect(runTauPo([action, '--state-dir', stateDir, ...who()]).status).toBe(0);
}

describe('doctor', () => {
  it('exits 0 when a resume would succeed', () => {
    writeStateDir(stateDir, { trainingStatus: trainingStatus('completed') });
    pauseThenResume();
    const run = runTauPo(['doctor', '--state-dir', stateDir, ...who()]);
    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^doctor: state_dir=.* principal=local:rl-operator\n/);
    expect(run.stdout).toMatch(/resume would succeed/);
    expect(jsonDocument(runTauPo(['doctor', '--json', '--state-dir', stateDir, ...who()]))).toMatchObject({
      resume_would_succeed: true,
      resume_exit_code: 0,
    });
  });

  it('exits non-zero, naming the blocker, when a resume would fail', () => {
    writeStateDir(stateDir, { controlState: controlState('running', 'resume'), trainingStatus: trainingStatus('running') });
    const run = runTauPo(['doctor', '--state-dir', stateDir, ...who()]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/resume would fail \(exit 4\): resume recovery guardrail/);
    expect(jsonDocument(runTauPo(['doctor', '--json', '--state-dir', stateDir, ...who()]), 1)).toMatchObject({
      resume_would_succeed: false,
      resume_exit_code: 4,
    });
  });
});

describe('audit', () => {
  it('verify finds an intact chain, then an edited row', () => {
    pauseThenResume();
    expect(jsonDocument(runTauPo(['audit', 'verify', '--json', '--state-dir', stateDir]))).toMatchObject({ ok: true, rows: 2 });
    const log = path.join(stateDir, 'control-audit.jsonl');
    fs.writeFileSync(log, fs.readFileSync(log, 'utf8').replace('"principal":"local:rl-operator"', '"principal":"local:mallory"'));
    const text = runTauPo(['audit', 'verify', '--state-dir', stateDir]);
    expect(text.status).toBe(1);
    expect(text.stdout).not.toBe('');
    expect(jsonDocument(runTauPo(['audit', 'verify', '--json', '--state-dir', stateDir]), 1)).toMatchObject({ ok: false });
  });

  it('repair quarantines a torn final line', () => {
    pauseThenResume();
    const log = path.join(stateDir, 'control-audit.jsonl');
    const torn = '{"schema_version":1,"timestamp_unix_ms":17';
    fs.appendFileSync(log, torn);
    const run = jsonDocument(runTauPo(['audit', 'repair', '--json', '--state-dir', stateDir, ...who()]));
    const repair = run['repair'] as { quarantine_path: string; byte_length: number };
    expect(run['principal']).toBe('local:rl-operator');
    expect(repair.byte_length).toBe(torn.length);
    expect(fs.readFileSync(repair.quarantine_path, 'utf8')).toBe(torn);
    expect(fs.readFileSync(log, 'utf8').endsWith('}\n')).toBe(true);
    expect(runTauPo(['audit', 'repair', '--state-dir', stateDir, ...who()]).stdout).toMatch(/nothing to repair/);
  });

  it('timeline --json writes a document far larger than a pipe buffer, whole', () => {
    writeStateDir(stateDir, { auditRows: tauAuditRows(1500) });
    const run = runTauPo(['audit', 'timeline', '--json', '--state-dir', stateDir]);
    expect(run.stdout.length).toBeGreaterThan(256 * 1024);
    expect((jsonDocument(run)['rows'] as unknown[]).length).toBe(1500);
  });

  it('timeline lists every row; a malformed row fails with its line number', () => {
    pauseThenResume();
    const text = runTauPo(['audit', 'timeline', '--state-dir', stateDir]);
    expect(text.status).toBe(0);
    expect(text.stdout.trim().split('\n')).toHaveLength(2);
    const json = jsonDocument(runTauPo(['audit', 'timeline', '--json', '--state-dir', stateDir]));
    expect((json['rows'] as Array<{ action: string }>).map((row) => row.action)).toEqual(['pause', 'resume']);
    fs.appendFileSync(path.join(stateDir, 'control-audit.jsonl'), 'garbage\n');
    const bad = runTauPo(['audit', 'timeline', '--state-dir', stateDir]);
    expect(bad).toMatchObject({ status: 1, stdout: '' });
    expect(bad.stderr).toMatch(/^failed to parse training control audit line 3 from /);
  });
});

describe('checkpoint', () => {
  it('inspect prints the header; verify says valid or invalid', () => {
    const good = path.join(workDir, 'good.json');
    fs.writeFileSync(good, JSON.stringify(policyCheckpoint('run-7', 700)));
    expect(runTauPo(['checkpoint', 'inspect', good]).stdout).toMatch(/^checkpoint .*good\.json: run_id=run-7 checkpoint_version=1 global_step=700 /);
    expect(jsonDocument(runTauPo(['checkpoint', 'inspect', good, '--json']))).toMatchObject({ header: { run_id: 'run-7', global_step: 700 } });
    expect(jsonDocument(runTauPo(['checkpoint', 'verify', good, '--json']))).toMatchObject({ valid: true, error: null });

    const bad = path.join(workDir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ ...policyCheckpoint('run-8'), checkpoint_version: 2 }));
    const inspect = runTauPo(['checkpoint', 'inspect', bad]);
    expect(inspect).toMatchObject({ status: 1, stdout: '' });
    expect(inspect.stderr).toMatch(/unsupported checkpoint_version 2; expected 1/);
    expect(jsonDocument(runTauPo(['checkpoint', 'verify', bad, '--json']), 1)).toMatchObject({ valid: false });
  });
});

describe('rbac', () => {
  it('check prints the decision document; exit 0 allowed, 3 denied', () => {
    const allowed = jsonDocument(runTauPo(['rbac', 'check', 'pause', '--json', ...who()]));
    expect(Object.keys(allowed)).toEqual(['principal', 'action', 'allowed', 'reason_code', 'matched_role', 'matched_pattern', 'policy_path']);
    expect(allowed).toEqual({
      principal: 'local:rl-operator',
      action: 'control:rl:pause',
      allowed: true,
      reason_code: 'allow_role_policy',
      matched_role: 'operator',
      matched_pattern: 'control:rl:*',
      policy_path: policyPath,
    });
    const denied = runTauPo(['rbac', 'check', 'control:rl:cancel', '--rbac-policy', policyPath, '--principal', 'local:observer']);
    expect(denied.status).toBe(3);
    expect(denied.stdout).toBe(
      `rbac check: principal=local:observer action=control:rl:cancel allowed=false reason_code=deny_no_matching_allow matched_role=none matched_pattern=none policy_path=${policyPath}\n`,
    );
    expect(runTauPo(['rbac', 'check', 'explode', ...who()]).status).toBe(2);
  });

  it('whoami resolves the local principal as Tau does and lists its decisions', () => {
    const run = jsonDocument(
      runTauPo(['rbac', 'whoami', '--json', '--rbac-policy', policyPath], { env: { TAU_RBAC_LOCAL_ACTOR: ' RL Operator ' } }),
    );
    expect(run).toMatchObject({ principal: 'local:rl-operator', source: 'local', policy_path: policyPath });
    expect((run['decisions'] as Array<{ allowed: boolean }>).map((decision) => decision.allowed)).toEqual([true, true, true, true, true]);
    const given = runTauPo(['rbac', 'whoami', '--rbac-policy', policyPath, '--principal', 'local:observer']);
    expect(given.stdout).toMatch(/^principal=local:observer source=given /);
  });
});

describe('schemas export', () => {
  it('writes one JSON Schema file per artifact', () => {
    const out = path.join(workDir, 'schemas');
    const run = jsonDocument(runTauPo(['schemas', 'export', out, '--json']));
    const files = run['files'] as string[];
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) {
      const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      expect(schema['$schema']).toMatch(/json-schema\.org/);
    }
    expect(files.map((file) => path.basename(file))).toContain('control-state.schema.json');
  });
});

describe('--help', () => {
  it.each([
    [[]], [['status']], [['pause']], [['resume']], [['cancel']], [['rollback']], [['doctor']], [['audit']],
    [['audit', 'verify']], [['audit', 'repair']], [['audit', 'timeline']], [['checkpoint']], [['checkpoint', 'inspect']],
    [['checkpoint', 'verify']], [['rbac']], [['rbac', 'check']], [['rbac', 'whoami']], [['schemas']], [['schemas', 'export']],
  ])('tau-po %j --help exits 0 and shows an example', (command) => {
    const run = runTauPo([...command, '--help']);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/\nExamples:\n\s+tau-po /);
  });
});
