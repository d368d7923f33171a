import type { ApiWhoami } from '@tau/schemas';
import { describe, expect, it } from 'vitest';
import { actionAvailability } from './action-availability.js';

function whoami(allowed: Record<string, boolean>): ApiWhoami {
  return {
    principal: 'ci:viewer',
    source: 'given',
    policy_path: '/p/rbac.json',
    auth: 'token:0123456789ab',
    decisions: Object.entries(allowed).map(([action, ok]) => ({
      principal: 'ci:viewer',
      action: `control:rl:${action}`,
      allowed: ok,
      reason_code: ok ? 'allow_role_policy' : 'deny_role_policy',
      matched_role: ok ? 'viewer' : null,
      matched_pattern: null,
      policy_path: '/p/rbac.json',
    })),
  };
}

describe('actionAvailability', () => {
  it.each([
    ['pause', true],
    ['resume', false],
    ['cancel', false],
    ['rollback', true],
  ] as const)('%s allowed=%s follows the decision table', (action, allowed) => {
    const state = actionAvailability(whoami({ pause: true, resume: false, cancel: false, rollback: true }), action);
    expect(state.allowed).toBe(allowed);
    expect(state.reason).toBe(allowed ? '' : `ci:viewer may not ${action} (deny_role_policy)`);
  });

  it('is not allowed while whoami loads, nor when the table lacks the action', () => {
    expect(actionAvailability(undefined, 'pause')).toEqual({ allowed: false, reason: 'checking what you may do' });
    expect(actionAvailability(whoami({ pause: true }), 'cancel').allowed).toBe(false);
  });
});
