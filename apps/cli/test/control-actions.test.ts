// Every row of REFERENCE.md's action table through the real CLI process:
// the files written, idempotency, the text line and the JSON document.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTauPo } from './built-cli.js';
import {
  controlState,
  describeTree,
  makeTempDir,
  policyCheckpoint,
  removeCliWorkspace,
  trainingStatus,
  writeRbacPolicy,
  writeStateDir,
} from './state-dir-fixture.js';

const TAU_CONTROL_STATE_KEYS = ['schema_version', 'updated_unix_ms', 'lifecycle_state', 'last_action', 'principal', 'rollback_checkpoint'];
const TAU_AUDIT_ROW_KEYS = [
  'schema_version', 'timestamp_unix_ms', 'principal', 'action', 'action_key', 'lifecycle_state', 'idempotent',
  'rollback_checkpoint', 'recovery_checkpoint_source',
];
const RECOVERY_REPORT_KEYS = [
  'schema_version', 'recovered_at_unix_ms', 'principal', 'crash_detected', 'prior_lifecycle_state', 'prior_training_state',
  'replayed_audit_events', 'replayed_actions', 'checkpoint_source', 'checkpoint_run_id', 'checkpoint_global_step',
  'checkpoint_optimizer_step', 'diagnostics',
];
const CONTROL_REPORT_KEYS = [
  'schema_version', 'state_dir', 'control_state_path', 'control_audit_path', 'action', 'principal', 'idempotent',
  'rollback_checkpoint', 'checkpoint_run_id', 'recovery_report_path', 'recovery_checkpoint_source',
  'recovery_crash_detected', 'recovery_replayed_audit_events', 'control_state', 'training_status',
];
const NO_CRASH_DIAGNOSTIC = 'resume recovery: no crash-detected state, checkpoint restore not required';

interface LineFields {
  action: string;
  lifecycle: string;
  training: string;
  idempotent: string;
  rollback: string;
  runId: string;
  report: string;
  source: string;
  crash: string;
  events: string;
}

/** REFERENCE.md's text line, spelled out independently of the code under test. */
function expectedLine(stateDir: string, fields: LineFields): string {
  return (
    `prompt optimization lifecycle control: action=${fields.action} principal=local:rl-operator ` +
    `lifecycle_state=${fields.lifecycle} training_run_state=${fields.training} idempotent=${fields.idempotent} ` +
    `rollback_checkpoint=${fields.rollback} checkpoint_run_id=${fields.runId} recovery_report=${fields.report} ` +
    `recovery_checkpoint_source=${fields.source} recovery_crash_detected=${fields.crash} ` +
    `recovery_replayed_audit_events=${fields.events} state_dir=${stateDir} state_file=${stateDir}/control-state.json ` +
    `audit_file=${stateDir}/control-audit.jsonl\n`
  );
}

let workDir: string;
const STATE = 'state';
const POLICY = 'rbac.json';

function tauPo(...args: string[]) {
  return runTauPo([...args, '--state-dir', STATE, '--rbac-policy', POLICY, '--principal', 'local:rl-operator'], {
    cwd: workDir,
  });
}

function readText(name: string): string {
  return fs.readFileSync(path.join(workDir, STATE, name), 'utf8');
}

function readJson(name: string): Record<string, unknown> {
  return JSON.parse(readText(name)) as Record<string, unknown>;
}

function auditRows(): Array<Record<string, unknown>> {
  const text = readText('control-audit.jsonl');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const row = JSON.parse(line) as Record<string, unknown>;
      expect(line, 'compact JSON').toBe(JSON.stringify(row));
      expect(Object.keys(row).slice(0, TAU_AUDIT_ROW_KEYS.length)).toEqual(TAU_AUDIT_ROW_KEYS);
      return row;
    });
}

/** control-state.json is pretty (two spaces), Tau's keys first, no trailing newline. */
function controlStateOnDisk(): Record<string, unknown> {
  const text = readText('control-state.json');
  const state = JSON.parse(text) as Record<string, unknown>;
  expect(text).toBe(JSON.stringify(state, null, 2));
  expect(Object.keys(state).slice(0, TAU_CONTROL_STATE_KEYS.length)).toEqual(TAU_CONTROL_STATE_KEYS);
  return state;
}

/**
 * The `--json` document: one pretty document, REFERENCE.md's keys in order,
 * trailing newline; our one extension, `diagnostics`, last and only when the
 * command has something to say.
 */
function parseReport(stdout: string): Record<string, unknown> {
  const report = JSON.parse(stdout) as Record<string, unknown>;
  expect(stdout).toBe(`${JSON.stringify(report, null, 2)}\n`);
  const keys = Object.keys(report);
  expect(keys.slice(0, CONTROL_REPORT_KEYS.length)).toEqual(CONTROL_REPORT_KEYS);
  expect(keys.slice(CONTROL_REPORT_KEYS.length)).toEqual('diagnostics' in report ? ['diagnostics'] : []);
  if ('diagnostics' in report) expect(report['diagnostics']).not.toEqual([]);
  return report;
}

beforeEach(() => {
  workDir = makeTempDir();
  writeRbacPolicy(path.join(workDir, POLICY));
});

afterEach(() => removeCliWorkspace(workDir));

describe('control actions through the built CLI', () => {
  it('pause writes paused; a second pause is idempotent', () => {
    const before = Date.now();
    const first = tauPo('pause');
    expect(first).toMatchObject({ status: 0, stderr: '' });
    expect(first.stdout).toBe(
      expectedLine(STATE, {
        action: 'pause', lifecycle: 'paused', training: 'missing', idempotent: 'false', rollback: 'none', runId: 'none',
        report: 'none', source: 'none', crash: 'n/a', events: 'n/a',
      }),
    );
    const state = controlStateOnDisk();
    expect(state).toMatchObject({
      schema_version: 1, lifecycle_state: 'paused', last_action: 'pause', principal: 'local:rl-operator', rollback_checkpoint: null,
    });
    expect(state['updated_unix_ms']).toBeGreaterThanOrEqual(before);
    expect(state['updated_unix_ms']).toBeLessThanOrEqual(Date.now());
    expect(auditRows()).toEqual([
      expect.objectContaining({
        schema_version: 1, principal: 'local:rl-operator', action: 'pause', action_key: 'control:rl:pause',
        lifecycle_state: 'paused', idempotent: false, rollback_checkpoint: null, recovery_checkpoint_source: null,
        timestamp_unix_ms: state['updated_unix_ms'],
      }),
    ]);

    const second = tauPo('pause', '--json');
    expect(second.status).toBe(0);
    const report = parseReport(second.stdout);
    expect(report).toMatchObject({
      schema_version: 1, state_dir: STATE, control_state_path: `${STATE}/control-state.json`,
      control_audit_path: `${STATE}/control-audit.jsonl`, action: 'pause', principal: 'local:rl-operator', idempotent: true,
      rollback_checkpoint: null, checkpoint_run_id: null, recovery_report_path: null, recovery_checkpoint_source: null,
      recovery_crash_detected: null, recovery_replayed_audit_events: null, training_status: null,
    });
    expect(report['control_state']).toEqual(controlStateOnDisk());
    expect(report).not.toHaveProperty('diagnostics');
    expect(auditRows().map((row) => row['idempotent'])).toEqual([false, true]);
  });

  it('cancel writes cancelled', () => {
    writeStateDir(path.join(workDir, STATE), { controlState: controlState('running', 'resume'), trainingStatus: trainingStatus('running') });
    const run = tauPo('cancel');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(
      expectedLine(STATE, {
        action: 'cancel', lifecycle: 'cancelled', training: 'running', idempotent: 'false', rollback: 'none', runId: 'none',
        report: 'none', source: 'none', crash: 'n/a', events: 'n/a',
      }),
    );
    expect(controlStateOnDisk()).toMatchObject({ lifecycle_state: 'cancelled', last_action: 'cancel' });
    expect(auditRows()).toEqual([expect.objectContaining({ action: 'cancel', action_key: 'control:rl:cancel', lifecycle_state: 'cancelled' })]);
  });

  it('resume without a crash writes running and the recovery report', () => {
    writeStateDir(path.join(workDir, STATE), { controlState: controlState('paused', 'pause') });
    expect(tauPo('pause').status).toBe(0);
    const run = tauPo('resume', '--json');
    expect(run).toMatchObject({ status: 0, stderr: '' });
    const report = parseReport(run.stdout);
    expect(report).toMatchObject({
      action: 'resume', idempotent: false, recovery_report_path: `${STATE}/recovery-report.json`,
      recovery_checkpoint_source: null, recovery_crash_detected: false, recovery_replayed_audit_events: 1,
      checkpoint_run_id: null, diagnostics: [NO_CRASH_DIAGNOSTIC],
    });
    const reportText = readText('recovery-report.json');
    const recovery = JSON.parse(reportText) as Record<string, unknown>;
    expect(reportText).toBe(JSON.stringify(recovery, null, 2));
    expect(Object.keys(recovery)).toEqual(RECOVERY_REPORT_KEYS);
    expect(recovery).toMatchObject({
      schema_version: 1, principal: 'local:rl-operator', crash_detected: false, prior_lifecycle_state: 'paused',
      prior_training_state: null, replayed_audit_events: 1, replayed_actions: ['pause'], checkpoint_source: null,
      checkpoint_run_id: null, checkpoint_global_step: null, checkpoint_optimizer_step: null, diagnostics: [NO_CRASH_DIAGNOSTIC],
    });
    expect(controlStateOnDisk()).toMatchObject({ lifecycle_state: 'running', last_action: 'resume' });
    expect(auditRows().map((row) => [row['action'], row['recovery_checkpoint_source']])).toEqual([
      ['pause', null],
      ['resume', null],
    ]);
  });

  it('resume after a crash restores the primary checkpoint', () => {
    writeStateDir(path.join(workDir, STATE), {
      controlState: controlState('running', 'resume'),
      trainingStatus: trainingStatus('running'),
      primaryCheckpoint: policyCheckpoint('run-primary', 4200),
      fallbackCheckpoint: policyCheckpoint('run-fallback', 4100),
    });
    const run = tauPo('resume');
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout).toBe(
      expectedLine(STATE, {
        action: 'resume', lifecycle: 'running', training: 'running', idempotent: 'true', rollback: 'none', runId: 'run-primary',
        report: `${STATE}/recovery-report.json`, source: 'primary', crash: 'true', events: '0',
      }),
    );
    expect(readJson('recovery-report.json')).toMatchObject({
      crash_detected: true, prior_lifecycle_state: 'running', prior_training_state: 'running', checkpoint_source: 'primary',
      checkpoint_run_id: 'run-primary', checkpoint_global_step: 4200, checkpoint_optimizer_step: 525,
    });
    expect(auditRows()).toEqual([expect.objectContaining({ action: 'resume', recovery_checkpoint_source: 'primary', idempotent: true })]);

    // checkpoint_run_id is the checkpoint the action loaded (Tau): a later pause
    // or status loaded none, though the report on disk still names the restore.
    for (const action of ['pause', 'status']) {
      const later = parseReport(tauPo(action, '--json').stdout);
      expect(later).toMatchObject({ action, checkpoint_run_id: null, recovery_checkpoint_source: 'primary', recovery_crash_detected: true });
    }
    expect(tauPo('status').stdout).toContain(' checkpoint_run_id=none recovery_report=state/recovery-report.json ');
  });

  it('rollback records the checkpoint exactly as given; the next action clears it', () => {
    fs.mkdirSync(path.join(workDir, 'ckpts'));
    fs.writeFileSync(path.join(workDir, 'ckpts', 'good.json'), JSON.stringify(policyCheckpoint('run-rollback'), null, 2));
    const given = './ckpts/../ckpts/good.json';
    const run = tauPo('rollback', given);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout).toBe(
      expectedLine(STATE, {
        action: 'rollback', lifecycle: 'rollback_requested', training: 'missing', idempotent: 'false', rollback: given,
        runId: 'run-rollback', report: 'none', source: 'none', crash: 'n/a', events: 'n/a',
      }),
    );
    expect(controlStateOnDisk()).toMatchObject({ lifecycle_state: 'rollback_requested', last_action: 'rollback', rollback_checkpoint: given });

    const again = tauPo('rollback', given, '--json');
    expect(parseReport(again.stdout)).toMatchObject({ idempotent: true, rollback_checkpoint: given, checkpoint_run_id: 'run-rollback' });

    const pause = tauPo('pause', '--json');
    expect(parseReport(pause.stdout)).toMatchObject({ idempotent: false, rollback_checkpoint: null });
    expect(auditRows().map((row) => [row['action'], row['rollback_checkpoint'], row['lifecycle_state']])).toEqual([
      ['rollback', given, 'rollback_requested'],
      ['rollback', given, 'rollback_requested'],
      ['pause', null, 'paused'],
    ]);
  });

  it('status writes nothing and reports idempotent n/a', () => {
    writeStateDir(path.join(workDir, STATE), {
      controlState: controlState('paused', 'pause'),
      trainingStatus: trainingStatus('running'),
    });
    const before = describeTree(path.join(workDir, STATE));
    const text = tauPo('status');
    expect(text).toMatchObject({ status: 0, stderr: '' });
    expect(text.stdout).toBe(
      expectedLine(STATE, {
        action: 'status', lifecycle: 'paused', training: 'running', idempotent: 'n/a', rollback: 'none', runId: 'none',
        report: 'none', source: 'none', crash: 'n/a', events: 'n/a',
      }),
    );
    const json = tauPo('status', '--json');
    const report = parseReport(json.stdout);
    expect(report).toMatchObject({ action: 'status', idempotent: null, training_status: expect.objectContaining({ run_state: 'running' }) });
    expect(report['control_state']).toMatchObject({ lifecycle_state: 'paused', last_action: 'pause' });
    expect(describeTree(path.join(workDir, STATE))).toEqual(before);
  });
});
