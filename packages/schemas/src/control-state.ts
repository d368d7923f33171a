import * as z from 'zod/mini';
import { AUDIT_HEAD_KEYS, auditHeadSchema } from './audit-head.js';
import { SCHEMA_VERSION } from './constants.js';
import { controlActionSchema, lifecycleStateSchema } from './enums.js';
import { nullableStringField } from './nullable-fields.js';
import { parseArtifactText, readArtifactFileText, validateForWrite } from './artifact-codec.js';
import { orderKeys, writeTauJson, type TauJsonValue } from './tau-json-writer.js';
import { u64Schema } from './u64.js';

/**
 * `control-state.json`: Tau's six keys, then our optional `audit_head`.
 * Unknown keys are kept (and written back after the known ones).
 */
export const controlStateSchema = z.looseObject({
  schema_version: z.literal(SCHEMA_VERSION),
  updated_unix_ms: u64Schema,
  lifecycle_state: lifecycleStateSchema,
  last_action: controlActionSchema,
  principal: z.string(),
  rollback_checkpoint: nullableStringField(),
  audit_head: z.optional(auditHeadSchema),
});
/** The control state (`control-state.json`). */
export type ControlState = z.infer<typeof controlStateSchema>;

/** Key order Tau writes, then our extension. */
export const CONTROL_STATE_KEYS = [
  'schema_version',
  'updated_unix_ms',
  'lifecycle_state',
  'last_action',
  'principal',
  'rollback_checkpoint',
  'audit_head',
] as const;

/** The control state as an ordered JSON value (also used inside the control report). */
export function orderControlState(state: ControlState): { [key: string]: TauJsonValue } {
  return orderKeys(state, CONTROL_STATE_KEYS, (key, value) =>
    key === 'audit_head' ? orderKeys(value as Record<string, unknown>, AUDIT_HEAD_KEYS) : (value as TauJsonValue),
  );
}

/** Parses `control-state.json` text; throws `ArtifactParseError` (Tau's message, naming `path`), caused by `UnsupportedSchemaVersionError` for another schema version. */
export function parseControlState(text: string, path: string): ControlState {
  return parseArtifactText('control_state', controlStateSchema, SCHEMA_VERSION, text, path);
}

/** Reads and parses `control-state.json`; `undefined` when the file does not exist. */
export function readControlState(path: string): ControlState | undefined {
  const text = readArtifactFileText('control_state', path);
  return text === undefined ? undefined : parseControlState(text, path);
}

/** Tau's bytes for a control state: pretty, Tau's key order, `audit_head` and unknown keys after, no trailing newline. */
export function serializeControlState(state: ControlState): string {
  return writeTauJson(orderControlState(validateForWrite('training control state', controlStateSchema, state)), 'pretty');
}
