import * as z from 'zod/mini';
import { validateForWrite } from './artifact-codec.js';
import { AUDIT_ROW_KEYS } from './audit-row.js';
import { SCHEMA_VERSION } from './constants.js';
import { checkpointSourceSchema, lifecycleStateSchema } from './enums.js';
import { nullableEnumField, nullableStringField } from './nullable-fields.js';
import { sha256HexSchema } from './sha256-hex.js';
import { orderKeys, writeTauJson } from './tau-json-writer.js';
import { u64Schema } from './u64.js';

/**
 * Audit actions of ours that are not lifecycle actions: an operator's act on
 * the state directory itself (`lock_break`). Replay (Tau's and ours) needs
 * only a string `action`, and none of these changes the lifecycle, so Tau
 * still reads the log and counts them in `replayed_actions`.
 */
export const operatorAuditActionSchema = z.enum(['lock_break']);
/** An operator act recorded in the audit log. */
export type OperatorAuditAction = z.infer<typeof operatorAuditActionSchema>;

/**
 * An audit row recording an operator act: Tau's nine keys (`lifecycle_state`
 * is the lifecycle at the time, unchanged by the act; `idempotent` false;
 * no checkpoints), our chain keys, then keys of the act's own (for
 * `lock_break`: `broken_lock`, the holder that was removed).
 */
export const operatorAuditRowSchema = z.looseObject({
  schema_version: z.literal(SCHEMA_VERSION),
  timestamp_unix_ms: u64Schema,
  principal: z.string(),
  action: operatorAuditActionSchema,
  action_key: z.string(),
  lifecycle_state: lifecycleStateSchema,
  idempotent: z.boolean(),
  rollback_checkpoint: nullableStringField(),
  recovery_checkpoint_source: nullableEnumField(checkpointSourceSchema),
  prev_sha256: z.optional(sha256HexSchema),
  os_user: z.optional(z.string()),
  host: z.optional(z.string()),
});
/** One operator-act audit row as we write it. */
export type OperatorAuditRow = z.infer<typeof operatorAuditRowSchema>;

/** The bytes of an operator-act row: compact JSON, Tau's keys in Tau's order, ours after, then `\n`. */
export function serializeOperatorAuditRow(row: OperatorAuditRow): string {
  const valid = validateForWrite('training control audit row', operatorAuditRowSchema, row);
  return `${writeTauJson(orderKeys(valid, AUDIT_ROW_KEYS), 'compact')}\n`;
}
