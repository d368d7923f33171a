import type { ControlState, TrainingStatus } from '@tau/schemas';

/** Training run states after which a `running` lifecycle is not a crash: the run ended on its own. */
export const TERMINAL_TRAINING_RUN_STATES: readonly string[] = ['completed', 'failed', 'cancelled'];

/**
 * Crash detected (REFERENCE.md, "Resume", step 2): a control state exists,
 * its lifecycle is `running`, and the training status is absent or its
 * `run_state` is none of `completed`, `failed`, `cancelled` (pure).
 *
 * The executor passes the *reconciled* control state: when a command crashed
 * after its audit row (the commit point) but before the control state write,
 * the committed state is the one rolled forward from the log, and that is
 * what the operator asked for.
 */
export function detectCrash(controlState: ControlState | undefined, trainingStatus: TrainingStatus | undefined): boolean {
  if (controlState === undefined || controlState.lifecycle_state !== 'running') return false;
  if (trainingStatus === undefined) return true;
  return !TERMINAL_TRAINING_RUN_STATES.includes(trainingStatus.run_state);
}
