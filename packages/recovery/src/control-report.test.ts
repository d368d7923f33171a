import type { ControlReport, RecoveryReport } from '@tau/schemas';
import { describe, expect, it } from 'vitest';
import { buildControlReport, renderControlReportText, type ControlReportInput } from './control-report.js';
import type { LifecycleTransition } from './lifecycle-transition.js';
import { controlStateRecord, RUNNING_TRAINING_STATUS } from './test-support/report-records.js';

const PAUSED = controlStateRecord('paused', 'pause');
const TRAINING = RUNNING_TRAINING_STATUS;

const RECOVERY: RecoveryReport = {
  schema_version: 1,
  recovered_at_unix_ms: 5,
  principal: 'local:alice',
  crash_detected: true,
  prior_lifecycle_state: 'running',
  prior_training_state: 'running',
  replayed_audit_events: 3,
  replayed_actions: ['pause', 'resume', 'pause'],
  checkpoint_source: 'fallback',
  checkpoint_run_id: 'run-7',
  checkpoint_global_step: 1,
  checkpoint_optimizer_step: 1,
  diagnostics: [],
};

function input(overrides: Partial<ControlReportInput>): ControlReportInput {
  return {
    stateDir: '.tau/training',
    action: 'pause',
    principal: 'local:alice',
    transition: { lifecycle_state: 'paused', idempotent: false, rollback_checkpoint: null },
    recoveryReport: undefined,
    controlState: PAUSED,
    trainingStatus: TRAINING,
    ...overrides,
  };
}

describe('buildControlReport', () => {
  it('builds every field of the --json document', () => {
    expect(buildControlReport(input({ recoveryReport: RECOVERY }))).toEqual({
      schema_version: 1,
      state_dir: '.tau/training',
      control_state_path: '.tau/training/control-state.json',
      control_audit_path: '.tau/training/control-audit.jsonl',
      action: 'pause',
      principal: 'local:alice',
      idempotent: false,
      rollback_checkpoint: null,
      checkpoint_run_id: null,
      recovery_report_path: '.tau/training/recovery-report.json',
      recovery_checkpoint_source: 'fallback',
      recovery_crash_detected: true,
      recovery_replayed_audit_events: 3,
      control_state: PAUSED,
      training_status: TRAINING,
    });
  });

  it.each<[string, Partial<ControlReportInput>, Partial<ControlReport>]>([
    [
      'no recovery report: the four recovery fields are null',
      {},
      {
        recovery_report_path: null,
        recovery_checkpoint_source: null,
        recovery_crash_detected: null,
        recovery_replayed_audit_events: null,
        checkpoint_run_id: null,
      },
    ],
    [
      'rollback takes checkpoint_run_id from the rollback checkpoint',
      {
        action: 'rollback',
        rollbackCheckpointRunId: 'run-rb',
        recoveryReport: RECOVERY,
        transition: { lifecycle_state: 'rollback_requested', idempotent: false, rollback_checkpoint: 'c.json' },
      },
      { checkpoint_run_id: 'run-rb', rollback_checkpoint: 'c.json', recovery_checkpoint_source: 'fallback' },
    ],
    [
      'resume takes checkpoint_run_id from the report it wrote',
      {
        action: 'resume',
        recoveryReport: RECOVERY,
        transition: { lifecycle_state: 'running', idempotent: false, rollback_checkpoint: null },
      },
      { checkpoint_run_id: 'run-7', recovery_checkpoint_source: 'fallback' },
    ],
    [
      'paths keep the state dir as given',
      { stateDir: './x/' },
      { state_dir: './x/', control_state_path: './x/control-state.json', control_audit_path: './x/control-audit.jsonl' },
    ],
    [
      'status: idempotent null, missing artifacts null',
      {
        action: 'status',
        transition: { lifecycle_state: 'running', idempotent: null, rollback_checkpoint: null },
        controlState: undefined,
        trainingStatus: undefined,
      },
      { idempotent: null, control_state: null, training_status: null },
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(buildControlReport(input(overrides))).toMatchObject(expected);
  });

  // Tau prints checkpoint_run_id only for the checkpoint the action itself loaded;
  // an older report's restore belongs in the recovery_* fields, not here.
  it.each<[ControlReportInput['action'], LifecycleTransition]>([
    ['pause', { lifecycle_state: 'paused', idempotent: false, rollback_checkpoint: null }],
    ['cancel', { lifecycle_state: 'cancelled', idempotent: false, rollback_checkpoint: null }],
    ['status', { lifecycle_state: 'paused', idempotent: null, rollback_checkpoint: null }],
  ])('%s: checkpoint_run_id is null although the report on disk names a restored checkpoint', (action, transition) => {
    const report = buildControlReport(input({ action, transition, recoveryReport: RECOVERY }));
    expect(report).toMatchObject({ checkpoint_run_id: null, recovery_checkpoint_source: 'fallback', recovery_crash_detected: true });
    expect(renderControlReportText(report)).toContain(' checkpoint_run_id=none recovery_report=.tau/training/recovery-report.json ');
  });
});

describe('renderControlReportText', () => {
  it('renders every field on one line', () => {
    const report = buildControlReport(
      input({
        action: 'resume',
        recoveryReport: RECOVERY,
        transition: { lifecycle_state: 'running', idempotent: false, rollback_checkpoint: null },
        controlState: { ...PAUSED, lifecycle_state: 'running', last_action: 'resume' },
      }),
    );
    expect(renderControlReportText(report)).toBe(
      'prompt optimization lifecycle control: action=resume principal=local:alice lifecycle_state=running ' +
        'training_run_state=running idempotent=false rollback_checkpoint=none checkpoint_run_id=run-7 ' +
        'recovery_report=.tau/training/recovery-report.json recovery_checkpoint_source=fallback ' +
        'recovery_crash_detected=true recovery_replayed_audit_events=3 state_dir=.tau/training ' +
        'state_file=.tau/training/control-state.json audit_file=.tau/training/control-audit.jsonl',
    );
  });

  it('prints absent values as unknown, missing, n/a and none', () => {
    const report = buildControlReport(
      input({
        action: 'status',
        transition: { lifecycle_state: 'running', idempotent: null, rollback_checkpoint: null },
        controlState: undefined,
        trainingStatus: undefined,
      }),
    );
    expect(renderControlReportText(report)).toBe(
      'prompt optimization lifecycle control: action=status principal=local:alice lifecycle_state=unknown ' +
        'training_run_state=missing idempotent=n/a rollback_checkpoint=none checkpoint_run_id=none ' +
        'recovery_report=none recovery_checkpoint_source=none recovery_crash_detected=n/a ' +
        'recovery_replayed_audit_events=n/a state_dir=.tau/training ' +
        'state_file=.tau/training/control-state.json audit_file=.tau/training/control-audit.jsonl',
    );
  });

  it.each<[string, Partial<ControlReport>, RegExp]>([
    ['idempotent true', { idempotent: true }, / idempotent=true /],
    ['no crash', { recovery_crash_detected: false }, / recovery_crash_detected=false /],
    ['zero events is not n/a', { recovery_replayed_audit_events: 0 }, / recovery_replayed_audit_events=0 /],
    ['rollback checkpoint', { rollback_checkpoint: 'a b.json' }, / rollback_checkpoint=a b\.json /],
  ])('%s', (_name, overrides, expected) => {
    const report = { ...buildControlReport(input({})), ...overrides };
    const text = renderControlReportText(report);
    expect(text).toMatch(expected);
    expect(text).not.toContain('\n');
  });
});
