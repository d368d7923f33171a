import { formatErrorChain } from '@tau/schemas';
import { describe, expect, it } from 'vitest';
import { UnauthorizedActionError } from './unauthorized-action-error.js';

describe('UnauthorizedActionError', () => {
  it("words the denial exactly as Tau does and chains under the CLI's message", () => {
    const denial = new UnauthorizedActionError('local:bob', 'control:rl:pause', 'deny_unbound_principal');
    expect(denial.message).toBe(
      'unauthorized rl lifecycle action: principal=local:bob action=control:rl:pause reason_code=deny_unbound_principal',
    );
    const wrapped = new Error("failed to authorize prompt-optimization lifecycle control action 'pause'", { cause: denial });
    expect(formatErrorChain(wrapped)).toBe(
      "failed to authorize prompt-optimization lifecycle control action 'pause': " +
        'unauthorized rl lifecycle action: principal=local:bob action=control:rl:pause reason_code=deny_unbound_principal',
    );
    expect([denial.principal, denial.actionKey, denial.reasonCode]).toEqual([
      'local:bob',
      'control:rl:pause',
      'deny_unbound_principal',
    ]);
  });
});
