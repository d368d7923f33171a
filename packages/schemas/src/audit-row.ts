import * as z from 'zod/mini';
import { validateForWrite } from './artifact-codec.js';
import { SCHEMA_VERSION } from './constants.js';
import { auditOperatorActionSchema, checkpointSourceSchema, controlActionSchema, lifecycleStateSchema } from './enums.js';
import { nullableEnumField, nullableStringField } from './nullable-fields.js';
import { sha256HexSchema } from './sha256-hex.js';
import { orderKeys, writeTauJson } from './tau-json-writer.js';
import { u64Schema } from './u64.js';

/**
 * One row of `control-audit.jsonl` as we write it: Tau's nine keys, then our
 * `prev_sha256` (absent on a log's first row), `os_user` and `host`. Operator
 * acts (`audit accept`, `lock break`) use the same keys and add their own.
 */
export const auditRowSchema = z.looseObject({
  schema_version: z.literal(SCHEMA_VERSION),
  timestamp_unix_ms: u64Schema,
  principal: z.string(),
  action: controlActionSchema,
  action_key: z.string(),
  lifecycle_state: lifecycleStateSchema,
  idempotent: z.boolean(),
  rollback_checkpoint: nullableStringField(),
  recovery_checkpoint_source: nullableEnumField(checkpointSourceSchema),
  prev_sha256: z.optional(sha256HexSchema),
  os_user: z.optional(z.string()),
  host: z.optional(z.string()),
});
/** One audit row as we write it. */
export type AuditRow = z.infer<typeof auditRowSchema>;

/**
 * An operator act's row (`audit accept`, `lock break`): the same keys, its
 * own action, and whatever extra keys it records. Tau's reader takes it like
 * any row (a JSON object with a string `action`).
 */
export const auditOperatorRowSchema = z.looseObject({
  ...auditRowSchema.shape,
  action: auditOperatorActionSchema,
});
/** An operator act's row. */
export type AuditOperatorRow = z.infer<typeof auditOperatorRowSchema>;

/** Any row we append. */
export type AppendableAuditRow = AuditRow | AuditOperatorRow;

/**
 * What replay requires of a row, exactly as much as Tau does: a JSON object
 * with a string `action`. Everything else is optional and unchecked, so any log
 * Tau can replay, we can.
 */
export const auditReplayRowSchema = z.looseObject({
  action: z.string(),
});
/** An audit row as replay sees it. */
export type AuditReplayRow = z.infer<typeof auditReplayRowSchema>;

/** Key order of an audit row: Tau's, then ours. */
export const AUDIT_ROW_KEYS = [
  'schema_version',
  'timestamp_unix_ms',
  'principal',
  'action',
  'action_key',
  'lifecycle_state',
  'idempotent',
  'rollback_checkpoint',
  'recovery_checkpoint_source',
  'prev_sha256',
  'os_user',
  'host',
] as const;

/** Tau's bytes for one audit row: compact JSON in Tau's key order, then exactly one `\n`. */
export function serializeAuditRow(row: AppendableAuditRow): string {
  const schema = auditOperatorActionSchema.safeParse(row.action).success ? auditOperatorRowSchema : auditRowSchema;
  const valid = validateForWrite('training control audit row', schema, row);
  return `${writeTauJson(orderKeys(valid, AUDIT_ROW_KEYS), 'compact')}\n`;
}
