import * as z from 'zod/mini';
import { parseArtifactText, readArtifactFileText, validateForWrite } from './artifact-codec.js';
import { SCHEMA_VERSION } from './constants.js';
import { checkpointSourceSchema } from './enums.js';
import { nullableEnumField, nullableStringField, nullableU64Field } from './nullable-fields.js';
import { orderKeys, writeTauJson } from './tau-json-writer.js';
import { u64Schema } from './u64.js';

/** `prior_lifecycle_state`: the control state's lifecycle before `resume`, or `missing` when there was none. */
export const priorLifecycleStateSchema = z.enum(['running', 'paused', 'cancelled', 'rollback_requested', 'missing']);
/** The lifecycle before `resume`, or `missing`. */
export type PriorLifecycleState = z.infer<typeof priorLifecycleStateSchema>;

/** `recovery-report.json`, written by `resume`. Unknown keys are kept and written back after Tau's. */
export const recoveryReportSchema = z.looseObject({
  schema_version: z.literal(SCHEMA_VERSION),
  recovered_at_unix_ms: u64Schema,
  principal: z.string(),
  crash_detected: z.boolean(),
  prior_lifecycle_state: priorLifecycleStateSchema,
  prior_training_state: nullableStringField(),
  replayed_audit_events: u64Schema,
  replayed_actions: z.array(z.string()),
  checkpoint_source: nullableEnumField(checkpointSourceSchema),
  checkpoint_run_id: nullableStringField(),
  checkpoint_global_step: nullableU64Field(),
  checkpoint_optimizer_step: nullableU64Field(),
  diagnostics: z.array(z.string()),
});
/** The recovery report (`recovery-report.json`). */
export type RecoveryReport = z.infer<typeof recoveryReportSchema>;

/** Key order Tau writes. */
export const RECOVERY_REPORT_KEYS = [
  'schema_version',
  'recovered_at_unix_ms',
  'principal',
  'crash_detected',
  'prior_lifecycle_state',
  'prior_training_state',
  'replayed_audit_events',
  'replayed_actions',
  'checkpoint_source',
  'checkpoint_run_id',
  'checkpoint_global_step',
  'checkpoint_optimizer_step',
  'diagnostics',
] as const;

/** Parses `recovery-report.json` text; throws `ArtifactParseError` (Tau's message, naming `path`), caused by `UnsupportedSchemaVersionError` for another schema version. */
export function parseRecoveryReport(text: string, path: string): RecoveryReport {
  return parseArtifactText('recovery_report', recoveryReportSchema, SCHEMA_VERSION, text, path);
}

/** Reads and parses `recovery-report.json`; `undefined` when the file does not exist. */
export function readRecoveryReport(path: string): RecoveryReport | undefined {
  const text = readArtifactFileText('recovery_report', path);
  return text === undefined ? undefined : parseRecoveryReport(text, path);
}

/** Tau's bytes for a recovery report: pretty, Tau's key order, unknown keys after, no trailing newline. */
export function serializeRecoveryReport(report: RecoveryReport): string {
  const valid = validateForWrite('training recovery report', recoveryReportSchema, report);
  return writeTauJson(orderKeys(valid, RECOVERY_REPORT_KEYS), 'pretty');
}
