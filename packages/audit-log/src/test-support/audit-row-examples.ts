import type { AuditRow } from '@tau/schemas';

const LIFECYCLE = { pause: 'paused', resume: 'running', cancel: 'cancelled', rollback: 'rollback_requested' } as const;

/** A row as a control command would build it (before chaining). */
export function controlRow(action: keyof typeof LIFECYCLE, timestamp: number, overrides: Partial<AuditRow> = {}): AuditRow {
  return {
    schema_version: 1,
    timestamp_unix_ms: timestamp,
    principal: 'local:alice',
    action,
    action_key: `control:rl:${action}`,
    lifecycle_state: LIFECYCLE[action],
    idempotent: false,
    rollback_checkpoint: action === 'rollback' ? '/ck/policy.json' : null,
    recovery_checkpoint_source: action === 'resume' ? 'primary' : null,
    ...overrides,
  };
}

/** A row exactly as Tau writes it: its nine keys, compact, no chain fields. */
export function tauRowLine(action: keyof typeof LIFECYCLE, timestamp: number): string {
  const { prev_sha256: _p, os_user: _u, host: _h, ...row } = controlRow(action, timestamp);
  return `${JSON.stringify(row)}\n`;
}
