import { describe, expect, it } from 'vitest';
import { buildRbacCheckReport } from './rbac-check-report.js';

describe('buildRbacCheckReport', () => {
  it('lays out the rbac check document in its key order', () => {
    const report = buildRbacCheckReport(
      'local:alice',
      'control:rl:pause',
      { allowed: false, reason_code: 'deny_role_policy', matched_role: 'restricted', matched_pattern: 'control:rl:p*' },
      '.tau/security/rbac.json',
    );
    expect(JSON.stringify(report)).toBe(
      '{"principal":"local:alice","action":"control:rl:pause","allowed":false,"reason_code":"deny_role_policy",' +
        '"matched_role":"restricted","matched_pattern":"control:rl:p*","policy_path":".tau/security/rbac.json"}',
    );
  });
});
