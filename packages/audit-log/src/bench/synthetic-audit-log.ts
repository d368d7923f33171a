// Writes a realistic synthetic control-audit.jsonl for benchmarks: rows shaped
// exactly like Tau's (optionally with our chain fields), a few principals,
// mostly increasing timestamps, and a mix of every action.
import { createHash } from 'node:crypto';
import fs from 'node:fs';

/** `tau`: Tau's nine keys; `chained`: plus prev_sha256, os_user and host, hash-linked. */
export type SyntheticRowShape = 'tau' | 'chained';

const PRINCIPALS = ['local:rl-operator', 'local:oncall-alice', 'ci:nightly-trainer', 'local:bob'];
const HOSTS = ['train-node-01', 'train-node-02', 'ops-laptop-7'];
const TRANSITIONS = [
  { action: 'pause', lifecycle: 'paused', checkpoint: null, source: null },
  { action: 'resume', lifecycle: 'running', checkpoint: null, source: 'primary' },
  { action: 'cancel', lifecycle: 'cancelled', checkpoint: null, source: null },
  { action: 'resume', lifecycle: 'running', checkpoint: null, source: 'fallback' },
  { action: 'rollback', lifecycle: 'rollback_requested', checkpoint: '/srv/tau/checkpoints/run-42/policy-checkpoint.step-000123.json', source: null },
  { action: 'resume', lifecycle: 'running', checkpoint: null, source: null },
] as const;

/** The text of row `index` (without newline). Deterministic in its arguments. */
export function syntheticAuditRow(index: number, shape: SyntheticRowShape, prevSha256: string | null): string {
  const transition = TRANSITIONS[index % TRANSITIONS.length] as (typeof TRANSITIONS)[number];
  const principal = PRINCIPALS[Math.floor(index / 97) % PRINCIPALS.length] as string;
  const row: Record<string, unknown> = {
    schema_version: 1,
    timestamp_unix_ms: 1_767_225_600_000 + index * 1_337,
    principal,
    action: transition.action,
    action_key: `control:rl:${transition.action}`,
    lifecycle_state: transition.lifecycle,
    idempotent: index % 11 === 0,
    rollback_checkpoint: transition.checkpoint,
    recovery_checkpoint_source: transition.source,
  };
  if (shape === 'chained') {
    if (prevSha256 !== null) row.prev_sha256 = prevSha256;
    row.os_user = principal.slice(principal.indexOf(':') + 1);
    row.host = HOSTS[Math.floor(index / 1000) % HOSTS.length];
  }
  return JSON.stringify(row);
}

/** Writes `rows` rows to `filePath` in large chunks; returns the file size in bytes. */
export function writeSyntheticAuditLog(filePath: string, rows: number, shape: SyntheticRowShape): number {
  const fd = fs.openSync(filePath, 'w');
  let pending: string[] = [];
  let pendingLength = 0;
  let size = 0;
  let prev: string | null = null;
  try {
    for (let index = 0; index < rows; index += 1) {
      const text = syntheticAuditRow(index, shape, prev);
      if (shape === 'chained') prev = createHash('sha256').update(text).digest('hex');
      pending.push(text);
      pendingLength += text.length + 1;
      if (pendingLength > 8 << 20 || index === rows - 1) {
        const chunk = Buffer.from(`${pending.join('\n')}\n`);
        fs.writeSync(fd, chunk);
        size += chunk.length;
        pending = [];
        pendingLength = 0;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return size;
}
