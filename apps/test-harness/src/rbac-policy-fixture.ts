/** The principal every scenario's policy lets run every control action. */
export const OPERATOR_PRINCIPAL = 'local:rl-operator';

/** A principal the scenario policy lets read status only (for denial checks). */
export const VIEWER_PRINCIPAL = 'local:rl-viewer';

/** The RBAC policy file written next to each scenario's state dir (team mode on). */
export function renderScenarioRbacPolicy(): string {
  return JSON.stringify(
    {
      schema_version: 1,
      team_mode: true,
      bindings: [
        { principal: OPERATOR_PRINCIPAL, roles: ['rl-operator'] },
        { principal: VIEWER_PRINCIPAL, roles: ['rl-viewer'] },
      ],
      roles: {
        'rl-operator': { allow: ['control:rl:*'] },
        'rl-viewer': { allow: ['control:rl:status'], deny: ['control:rl:pause', 'control:rl:resume', 'control:rl:cancel', 'control:rl:rollback'] },
      },
    },
    null,
    2,
  );
}
