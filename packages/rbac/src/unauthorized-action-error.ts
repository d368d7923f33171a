import type { RbacReasonCode } from './rbac-decision.js';

/**
 * A control action the policy denies, worded as Tau words it:
 * `unauthorized rl lifecycle action: principal=<p> action=<key> reason_code=<code>`.
 * When the denial is a missing policy file, the cause says where we looked and how to create one.
 */
export class UnauthorizedActionError extends Error {
  override name = 'UnauthorizedActionError';
  constructor(
    readonly principal: string,
    readonly actionKey: string,
    readonly reasonCode: RbacReasonCode,
    options?: { cause?: unknown },
  ) {
    super(`unauthorized rl lifecycle action: principal=${principal} action=${actionKey} reason_code=${reasonCode}`, options);
  }
}
