// The recovery report of a resume after a long run, for the benches: its
// fields but `replayed_actions` fixed, the actions given by the caller.
import type { RecoveryReportToWrite } from '../src/index.js';

export function longRunRecoveryReport(replayed_actions: RecoveryReportToWrite['replayed_actions']): RecoveryReportToWrite {
  return {
    schema_version: 1,
    recovered_at_unix_ms: 1796398726511,
    principal: 'local:rl-operator',
    crash_detected: true,
    prior_lifecycle_state: 'running',
    prior_training_state: 'running',
    replayed_audit_events: replayed_actions.length,
    replayed_actions,
    checkpoint_source: 'primary',
    checkpoint_run_id: 'po-run-20260101-a',
    checkpoint_global_step: 1200,
    checkpoint_optimizer_step: 300,
    diagnostics: [],
  };
}
