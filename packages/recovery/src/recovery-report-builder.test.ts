import { describe, expect, it } from 'vitest';
import { buildRecoveryReport, NO_CRASH_DIAGNOSTIC, type RecoveryReportInput } from './recovery-report-builder.js';
import { controlStateRecord, RUNNING_TRAINING_STATUS } from './test-support/report-records.js';

const RUNNING = controlStateRecord('running', 'resume');
const TRAINING = RUNNING_TRAINING_STATUS;

function input(overrides: Partial<RecoveryReportInput>): RecoveryReportInput {
  return {
    recoveredAtUnixMs: 1_234,
    principal: 'local:rl-operator',
    priorControlState: RUNNING,
    trainingStatus: TRAINING,
    replayedActions: ['pause', 'resume'],
    crashDetected: true,
    restored: { source: 'primary', run_id: 'run-1', global_step: 40, optimizer_step: 20, diagnostics: [] },
    ...overrides,
  };
}

describe('buildRecoveryReport', () => {
  it('a crash restored from the primary', () => {
    expect(buildRecoveryReport(input({}))).toEqual({
      schema_version: 1,
      recovered_at_unix_ms: 1_234,
      principal: 'local:rl-operator',
      crash_detected: true,
      prior_lifecycle_state: 'running',
      prior_training_state: 'running',
      replayed_audit_events: 2,
      replayed_actions: ['pause', 'resume'],
      checkpoint_source: 'primary',
      checkpoint_run_id: 'run-1',
      checkpoint_global_step: 40,
      checkpoint_optimizer_step: 20,
      diagnostics: [],
    });
  });

  it.each<[string, Partial<RecoveryReportInput>, Record<string, unknown>]>([
    [
      'fallback: the primary failure leads the diagnostics, ours follow',
      {
        restored: {
          source: 'fallback',
          run_id: 'run-0',
          global_step: 30,
          optimizer_step: 15,
          diagnostics: ['primary checkpoint load failed: parse checkpoint JSON x'],
        },
        additionalDiagnostics: ['audit log had a torn final line'],
      },
      {
        checkpoint_source: 'fallback',
        checkpoint_run_id: 'run-0',
        diagnostics: ['primary checkpoint load failed: parse checkpoint JSON x', 'audit log had a torn final line'],
      },
    ],
    [
      'no crash: no checkpoint fields, Tau diagnostic',
      { crashDetected: false, restored: null },
      {
        crash_detected: false,
        checkpoint_source: null,
        checkpoint_run_id: null,
        checkpoint_global_step: null,
        checkpoint_optimizer_step: null,
        diagnostics: [NO_CRASH_DIAGNOSTIC],
      },
    ],
    [
      'no crash ignores a restore passed by mistake',
      { crashDetected: false },
      { checkpoint_source: null, diagnostics: [NO_CRASH_DIAGNOSTIC] },
    ],
    [
      'missing control state and status',
      { priorControlState: undefined, trainingStatus: undefined, crashDetected: false, restored: null },
      { prior_lifecycle_state: 'missing', prior_training_state: null },
    ],
    ['empty log', { replayedActions: [] }, { replayed_audit_events: 0, replayed_actions: [] }],
  ])('%s', (_name, overrides, expected) => {
    expect(buildRecoveryReport(input(overrides))).toMatchObject(expected);
  });

  it('shares the replayed actions array instead of copying it (one entry per audit row)', () => {
    const replayedActions = ['pause', 'resume'];
    const report = buildRecoveryReport(input({ replayedActions }));
    expect(report.replayed_actions).toBe(replayedActions);
  });
});
