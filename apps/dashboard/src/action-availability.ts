// Whether the signed-in principal may press an action button, and if not,
// the words the disabled button shows. Pure: decided from the whoami
// document only (the server still decides every request).
import type { ApiMutatingAction, ApiWhoami } from '@tau/schemas';

/** An action button's state. */
export interface ActionAvailability {
  allowed: boolean;
  /** Why it is not allowed (empty when allowed). */
  reason: string;
}

/** The button state of `action` for the principal `whoami` describes (undefined while whoami loads). */
export function actionAvailability(whoami: ApiWhoami | undefined, action: ApiMutatingAction): ActionAvailability {
  if (whoami === undefined) return { allowed: false, reason: 'checking what you may do' };
  const decision = whoami.decisions.find((entry) => entry.action === `control:rl:${action}` || entry.action === action);
  if (decision === undefined) return { allowed: false, reason: `the policy says nothing about ${action}` };
  if (decision.allowed) return { allowed: true, reason: '' };
  return { allowed: false, reason: `${whoami.principal} may not ${action} (${decision.reason_code})` };
}
