import type { ControlAction } from '@tau/schemas';

/**
 * The RBAC action key of each control action, as Tau names them in policies
 * and audit rows (`control:rl:<action>`).
 */
export const CONTROL_ACTION_KEYS = {
  status: 'control:rl:status',
  pause: 'control:rl:pause',
  resume: 'control:rl:resume',
  cancel: 'control:rl:cancel',
  rollback: 'control:rl:rollback',
} as const satisfies Record<ControlAction, `control:rl:${ControlAction}`>;

/** One of the five `control:rl:*` action keys. */
export type ControlActionKey = (typeof CONTROL_ACTION_KEYS)[ControlAction];

/** The RBAC action key a control action is authorized under, e.g. `pause` -> `control:rl:pause`. */
export function actionKeyFor(action: ControlAction): ControlActionKey {
  return CONTROL_ACTION_KEYS[action];
}
