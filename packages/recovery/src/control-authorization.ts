import { loadRbacPolicyCached, UnauthorizedActionError, type RbacDecision } from '@tau/rbac';
import { AuthorizationDeniedError, AuthorizationUnavailableError } from './control-errors.js';

/**
 * Authorizes one command before anything in the state directory is touched.
 * A denial (a missing policy file included: @tau/rbac chains its
 * explanation under the `UnauthorizedActionError`) throws
 * `AuthorizationDeniedError`; a policy file that cannot be used throws
 * `AuthorizationUnavailableError`. `label` names the command in the message
 * (`resume`, `audit repair`), `actionKey` is what the policy is asked about.
 */
export async function authorizeControlCommand(
  rbacPolicyPath: string,
  principal: string,
  label: string,
  actionKey: string,
): Promise<RbacDecision> {
  let authorizer;
  try {
    authorizer = await loadRbacPolicyCached(rbacPolicyPath);
  } catch (cause) {
    throw new AuthorizationUnavailableError(label, { cause });
  }
  try {
    return authorizer.assertAuthorized(principal, actionKey);
  } catch (cause) {
    if (cause instanceof UnauthorizedActionError) throw new AuthorizationDeniedError(label, { cause });
    throw new AuthorizationUnavailableError(label, { cause });
  }
}
