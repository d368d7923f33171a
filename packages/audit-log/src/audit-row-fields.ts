import { lifecycleStateSchema, type LifecycleState } from '@tau/schemas';

/**
 * The top-level values of one audit row that replay and verify use. An
 * optional field that is absent, null or of another type reads as `undefined`
 * (Tau ignores every key but `action`, so a hand-edited or older row with an
 * odd value is still a row).
 */
export interface AuditRowFields {
  action: string;
  /** A non-negative safe integer, else undefined. */
  timestamp_unix_ms: number | undefined;
  principal: string | undefined;
  /** One of the four lifecycle states, else undefined. */
  lifecycle_state: LifecycleState | undefined;
  idempotent: boolean | undefined;
  /** Any string; verify judges whether it is a SHA-256 hex digest. */
  prev_sha256: string | undefined;
}

/** Reads the replay fields of a parsed row (the simple path's counterpart of the scanner). */
export function auditRowFieldsOf(row: { readonly action: string } & Readonly<Record<string, unknown>>): AuditRowFields {
  const timestamp = row.timestamp_unix_ms;
  const lifecycle = lifecycleStateSchema.safeParse(row.lifecycle_state);
  return {
    action: row.action,
    timestamp_unix_ms:
      typeof timestamp === 'number' && Number.isSafeInteger(timestamp) && timestamp >= 0 && !Object.is(timestamp, -0)
        ? timestamp
        : undefined,
    principal: typeof row.principal === 'string' ? row.principal : undefined,
    lifecycle_state: lifecycle.success ? lifecycle.data : undefined,
    idempotent: typeof row.idempotent === 'boolean' ? row.idempotent : undefined,
    prev_sha256: typeof row.prev_sha256 === 'string' ? row.prev_sha256 : undefined,
  };
}
