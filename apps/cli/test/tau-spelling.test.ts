// Tau's spelling: the runbook's standard command verbatim, Tau's defaults,
// the TAU_PROMPT_OPTIMIZATION_CONTROL_* variables, `pnpm start`, and
// `resume --dry-run` leaving every byte and mtime alone.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_DIR, baseEnv, runTauPo } from './built-cli.js';
import {
  controlState,
  describeTree,
  makeTempDir,
  policyCheckpoint,
  removeCliWorkspace,
  tauAuditRows,
  trainingStatus,
  writeRbacPolicy,
  writeStateDir,
} from './state-dir-fixture.js';

const E = 'TAU_PROMPT_OPTIMIZATION_CONTROL_';

let workDir: string;

beforeEach(() => {
  workDir = makeTempDir();
});

afterEach(() => removeCliWorkspace(workDir));

function crashedStateDir(dir: string): void {
  writeStateDir(dir, {
    controlState: controlState('running', 'resume'),
    auditRows: tauAuditRows(20),
    trainingStatus: trainingStatus('running'),
    primaryCheckpoint: policyCheckpoint('run-primary'),
  });
}

describe("Tau's spelling", () => {
  it("runs the runbook's standard command verbatim", () => {
    crashedStateDir(path.join(workDir, '.tau/prompt-optimization'));
    writeRbacPolicy(path.join(workDir, '.tau/rbac-policy.json'));
    const run = runTauPo(
      [
        '--prompt-optimization-control-resume',
        '--prompt-optimization-control-state-dir', '.tau/prompt-optimization',
        '--prompt-optimization-control-rbac-policy', '.tau/rbac-policy.json',
        '--prompt-optimization-control-principal', 'local:rl-operator',
        '--prompt-optimization-control-json',
      ],
      { cwd: workDir },
    );
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toMatchObject({
      state_dir: '.tau/prompt-optimization',
      control_state_path: '.tau/prompt-optimization/control-state.json',
      control_audit_path: '.tau/prompt-optimization/control-audit.jsonl',
      recovery_report_path: '.tau/prompt-optimization/recovery-report.json',
      action: 'resume',
      principal: 'local:rl-operator',
      recovery_checkpoint_source: 'primary',
      recovery_crash_detected: true,
      recovery_replayed_audit_events: 20,
      checkpoint_run_id: 'run-primary',
    });
    expect(fs.existsSync(path.join(workDir, '.tau/prompt-optimization/recovery-report.json'))).toBe(true);
  });

  it("uses Tau's defaults: .tau/training and .tau/security/rbac.json", () => {
    writeRbacPolicy(path.join(workDir, '.tau/security/rbac.json'));
    const run = runTauPo(['--prompt-optimization-control-pause', '--prompt-optimization-control-principal', 'local:rl-operator'], {
      cwd: workDir,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(' state_dir=.tau/training state_file=.tau/training/control-state.json ');
    expect(fs.readFileSync(path.join(workDir, '.tau/training/control-state.json'), 'utf8')).toContain('"paused"');
  });

  it('honours every TAU_PROMPT_OPTIMIZATION_CONTROL_* variable', () => {
    writeRbacPolicy(path.join(workDir, 'policy.json'));
    fs.writeFileSync(path.join(workDir, 'ck.json'), JSON.stringify(policyCheckpoint('run-env')));
    const env = { [`${E}STATE_DIR`]: 'env-state', [`${E}RBAC_POLICY`]: 'policy.json', [`${E}PRINCIPAL`]: 'local:rl-operator', [`${E}JSON`]: 'true' };
    const steps: Array<[Record<string, string>, string]> = [
      [{ [`${E}PAUSE`]: 'true' }, 'paused'],
      [{ [`${E}RESUME`]: '1' }, 'running'],
      [{ [`${E}ROLLBACK`]: 'ck.json' }, 'rollback_requested'],
      [{ [`${E}CANCEL`]: 'TRUE' }, 'cancelled'],
      [{ [`${E}STATUS`]: 'true', [`${E}PAUSE`]: 'false' }, 'cancelled'],
    ];
    for (const [actionEnv, lifecycle] of steps) {
      const run = runTauPo([], { cwd: workDir, env: { ...env, ...actionEnv } });
      expect(run.status, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout) as { state_dir: string; principal: string; control_state: { lifecycle_state: string } };
      expect(report).toMatchObject({ state_dir: 'env-state', principal: 'local:rl-operator', control_state: { lifecycle_state: lifecycle } });
    }
    const rows = fs.readFileSync(path.join(workDir, 'env-state/control-audit.jsonl'), 'utf8').trim().split('\n');
    expect(rows.map((row) => (JSON.parse(row) as { action: string }).action)).toEqual(['pause', 'resume', 'rollback', 'cancel']);
  });

  it('flags beat variables, option by option and for the action', () => {
    writeRbacPolicy(path.join(workDir, 'policy.json'));
    const env = { [`${E}STATE_DIR`]: 'env-state', [`${E}RBAC_POLICY`]: 'policy.json', [`${E}PAUSE`]: 'true', [`${E}PRINCIPAL`]: 'local:observer' };
    const run = runTauPo(['cancel', '--state-dir', 'flag-state', '--principal', 'local:rl-operator'], { cwd: workDir, env });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^prompt optimization lifecycle control: action=cancel principal=local:rl-operator lifecycle_state=cancelled .* state_dir=flag-state /);
    expect(fs.existsSync(path.join(workDir, 'env-state'))).toBe(false);
  });

  it('rejects a boolean variable it cannot read (exit 2)', () => {
    const run = runTauPo(['status'], { cwd: workDir, env: { [`${E}JSON`]: 'yes' } });
    expect(run).toMatchObject({ status: 2, stdout: '' });
    expect(run.stderr).toMatch(/^TAU_PROMPT_OPTIMIZATION_CONTROL_JSON must be true, false, 1 or 0 \(got 'yes'\)\n/);
  });

  it('works through `pnpm --filter cli start`, from the directory pnpm was started in, ignoring a leading --', () => {
    crashedStateDir(path.join(workDir, 'state'));
    writeRbacPolicy(path.join(workDir, 'rbac.json'));
    const workspace = path.resolve(APP_DIR, '..', '..');
    const run = spawnSync(
      'pnpm',
      ['--silent', '--dir', workspace, '--filter', 'cli', 'start', '--', 'resume', '--state-dir', 'state', '--rbac-policy', 'rbac.json',
        '--principal', 'local:rl-operator', '--json'],
      { cwd: workDir, env: baseEnv(), encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ action: 'resume', state_dir: 'state', recovery_checkpoint_source: 'primary' });
    expect(fs.existsSync(path.join(workDir, 'state/recovery-report.json'))).toBe(true);
  });

  it('works through the root script `pnpm tau-po` (the package is now @tau/cli), from the directory pnpm was started in', () => {
    crashedStateDir(path.join(workDir, 'state'));
    writeRbacPolicy(path.join(workDir, 'rbac.json'));
    const workspace = path.resolve(APP_DIR, '..', '..');
    const run = spawnSync(
      'pnpm',
      ['--silent', '--dir', workspace, 'tau-po', 'resume', '--state-dir', 'state', '--rbac-policy', 'rbac.json', '--principal', 'local:rl-operator', '--json'],
      { cwd: workDir, env: baseEnv(), encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ action: 'resume', state_dir: 'state', recovery_checkpoint_source: 'primary' });
  });
});

describe('resume --dry-run', () => {
  it('computes and prints everything and writes nothing: bytes and mtimes unchanged', () => {
    const stateDir = path.join(workDir, 'state');
    writeStateDir(stateDir, {
      controlState: controlState('running', 'resume'),
      auditRows: tauAuditRows(5),
      trainingStatus: trainingStatus('running'),
      primaryCheckpoint: 'not json',
      fallbackCheckpoint: policyCheckpoint('run-fallback'),
    });
    const policyPath = path.join(workDir, 'rbac.json');
    writeRbacPolicy(policyPath);
    const before = describeTree(stateDir, { directories: true });
    const run = runTauPo(['resume', '--dry-run', '--json', '--state-dir', stateDir, '--rbac-policy', policyPath, '--principal', 'local:rl-operator']);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      action: 'resume',
      recovery_checkpoint_source: 'fallback',
      recovery_crash_detected: true,
      recovery_replayed_audit_events: 5,
      checkpoint_run_id: 'run-fallback',
      control_state: { lifecycle_state: 'running', last_action: 'resume' },
    });
    expect(describeTree(stateDir, { directories: true })).toEqual(before);

    const text = runTauPo(['resume', '--dry-run', '--state-dir', stateDir, '--rbac-policy', policyPath, '--principal', 'local:rl-operator']);
    expect(text.stdout).toMatch(/ recovery_checkpoint_source=fallback recovery_crash_detected=true recovery_replayed_audit_events=5 /);
    expect(describeTree(stateDir, { directories: true })).toEqual(before);
  });

  it('fails closed like a real resume when nothing can be restored (exit 4)', () => {
    const stateDir = path.join(workDir, 'state');
    writeStateDir(stateDir, { controlState: controlState('running', 'resume'), trainingStatus: trainingStatus('running') });
    const policyPath = path.join(workDir, 'rbac.json');
    writeRbacPolicy(policyPath);
    const run = runTauPo(['resume', '--dry-run', '--state-dir', stateDir, '--rbac-policy', policyPath, '--principal', 'local:rl-operator']);
    expect(run).toMatchObject({ status: 4, stdout: '' });
    expect(run.stderr).toMatch(/^resume recovery guardrail: /);
  });
});
