// Small in-memory records for the pure report builders' tests (no files).
import type { ControlState, TrainingStatus } from '@tau/schemas';

/** A control state written by `local:alice`, in the given lifecycle state after the given action. */
export function controlStateRecord(
  lifecycleState: ControlState['lifecycle_state'],
  lastAction: ControlState['last_action'],
): ControlState {
  return {
    schema_version: 1,
    updated_unix_ms: 10,
    lifecycle_state: lifecycleState,
    last_action: lastAction,
    principal: 'local:alice',
    rollback_checkpoint: null,
  };
}

/** A training status of a running run with one succeeded rollout. */
export const RUNNING_TRAINING_STATUS: TrainingStatus = {
  schema_version: 1,
  updated_unix_ms: 10,
  run_state: 'running',
  model_ref: 'm',
  store_path: 's',
  total_rollouts: 1,
  succeeded: 1,
  failed: 0,
  cancelled: 0,
};
