import type { ControlAction, ControlState, LifecycleState } from '@tau/schemas';
import { UsageError } from './control-errors.js';

/** What one control action does to the lifecycle: the state it leaves, whether it changed anything. */
export interface LifecycleTransition {
  /** The lifecycle state after the action (for `status`, the current one). */
  lifecycle_state: LifecycleState;
  /** Prior lifecycle and rollback checkpoint both equal the new ones; `null` for `status`, which writes nothing. */
  idempotent: boolean | null;
  /** The rollback checkpoint after the action: the path as given for `rollback`, `null` for every other mutating action. */
  rollback_checkpoint: string | null;
}

/** The lifecycle state each mutating action writes (REFERENCE.md, "Control actions"). */
export const TARGET_LIFECYCLE_STATE: Readonly<Record<Exclude<ControlAction, 'status'>, LifecycleState>> = {
  pause: 'paused',
  resume: 'running',
  cancel: 'cancelled',
  rollback: 'rollback_requested',
};

/** Tau treats a state directory without a control state as running (last action `status`). */
export const MISSING_CONTROL_STATE_LIFECYCLE: LifecycleState = 'running';

/**
 * Decides the lifecycle state, idempotency and rollback checkpoint an action
 * produces from the prior control state (pure).
 *
 * A missing control state counts as `running` with no rollback checkpoint.
 * `idempotent` is true when both the lifecycle state and the rollback
 * checkpoint are unchanged, so any action after a rollback clears the
 * checkpoint and is not idempotent. `status` changes nothing and reports the
 * current lifecycle with `idempotent: null`.
 *
 * @throws UsageError for `rollback` without a checkpoint path, or a checkpoint given to another action.
 */
export function decideLifecycleTransition(
  action: ControlAction,
  priorControlState: ControlState | undefined,
  rollbackCheckpoint: string | undefined | null,
): LifecycleTransition {
  const priorLifecycle = priorControlState?.lifecycle_state ?? MISSING_CONTROL_STATE_LIFECYCLE;
  const priorRollbackCheckpoint = priorControlState?.rollback_checkpoint ?? null;
  const given = rollbackCheckpoint ?? null;
  if (action === 'rollback' && (given === null || given.trim() === '')) {
    throw new UsageError('rollback requires a checkpoint path');
  }
  if (action !== 'rollback' && given !== null) {
    throw new UsageError(`a rollback checkpoint is only accepted by the rollback action, not '${action}'`);
  }
  if (action === 'status') {
    return { lifecycle_state: priorLifecycle, idempotent: null, rollback_checkpoint: priorRollbackCheckpoint };
  }
  const lifecycle_state = TARGET_LIFECYCLE_STATE[action];
  const rollback_checkpoint = action === 'rollback' ? given : null;
  return {
    lifecycle_state,
    idempotent: priorLifecycle === lifecycle_state && priorRollbackCheckpoint === rollback_checkpoint,
    rollback_checkpoint,
  };
}
