import * as z from 'zod/mini';
import { parseArtifactText, readArtifactFileText, validateForWrite, validateJsonValue } from './artifact-codec.js';
import { SCHEMA_VERSION } from './constants.js';
import { checkpointSourceSchema } from './enums.js';
import { nullableEnumField, nullableStringField, nullableU64Field } from './nullable-fields.js';
import { orderKeys, writeTauJsonChunks, type TauJsonStringCodes } from './tau-json-writer.js';
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

/**
 * `replayed_actions` as a writer may hold it: a plain array, or a compact
 * sequence (one byte per action, `@tau/audit-log`'s `AuditActionList`) that
 * is written as the same JSON array without ever being one in memory.
 */
export interface ReplayedActionSequence extends Iterable<string> {
  readonly length: number;
  /** The actions as codes into a table of the distinct ones (then written from the table's bytes). */
  toCodes?(): TauJsonStringCodes;
}

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

/**
 * A recovery report about to be written (`serializeRecoveryReportChunks`):
 * `replayed_actions` may be compact. (Picked by Tau's keys: `Omit` over the
 * loose object's index signature would lose them.)
 */
export type RecoveryReportToWrite = Pick<RecoveryReport, Exclude<(typeof RECOVERY_REPORT_KEYS)[number], 'replayed_actions'>> & {
  replayed_actions: string[] | ReplayedActionSequence;
};

function isArrayOfStrings(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  // Indexed, not `every`: a hole in a sparse array is not a string.
  for (let index = 0; index < value.length; index += 1) {
    if (typeof value[index] !== 'string') return false;
  }
  return true;
}

/** Whether every code names an entry of the table, and every entry is a string (a pass over bytes, not strings). */
function areCodedStrings(codes: TauJsonStringCodes): boolean {
  if (!codes.table.every((entry) => typeof entry === 'string')) return false;
  let highest = -1;
  for (const chunk of codes.chunks) {
    for (let index = 0; index < chunk.length; index += 1) highest = Math.max(highest, chunk[index] as number);
  }
  return highest < codes.table.length;
}

/** A compact `replayed_actions` (not an array) whose every entry is a string. */
function isSequenceOfStrings(value: unknown): value is ReplayedActionSequence {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !(Symbol.iterator in value)) return false;
  const sequence = value as ReplayedActionSequence;
  // What the writer writes from: the codes, when the sequence has them.
  if (typeof sequence.toCodes === 'function') return areCodedStrings(sequence.toCodes());
  for (const item of value as Iterable<unknown>) {
    if (typeof item !== 'string') return false;
  }
  return true;
}

/**
 * Validates a report with `validate` (the schema), except `replayed_actions`,
 * checked in place: zod rebuilds every array it validates, element by element,
 * and this one has an entry per audit row (a million rows: another 8 MB array
 * and a million temporary objects, at the moment the report is largest). The
 * valid report keeps the caller's array. When an action is not a string the
 * whole report goes through `validate`, so the error is worded as always.
 */
function validateWithActionsInPlace(value: unknown, validate: (value: unknown) => RecoveryReport): RecoveryReport {
  const actions: unknown = typeof value === 'object' && value !== null ? Reflect.get(value, 'replayed_actions') : undefined;
  if (isSequenceOfStrings(actions)) {
    // A compact sequence: checked above entry by entry, written as is (cast: the writer iterates it like an array).
    const valid = validate({ ...(value as object), replayed_actions: [] });
    valid.replayed_actions = actions as unknown as string[];
    return valid;
  }
  if (!isArrayOfStrings(actions)) return validate(value);
  const valid = validate({ ...(value as object), replayed_actions: [] });
  valid.replayed_actions = actions;
  return valid;
}

/** Parses `recovery-report.json` text; throws `ArtifactParseError` (Tau's message, naming `path`), caused by `UnsupportedSchemaVersionError` for another schema version. */
export function parseRecoveryReport(text: string, path: string): RecoveryReport {
  return parseArtifactText('recovery_report', recoveryReportSchema, SCHEMA_VERSION, text, path, (value) =>
    validateWithActionsInPlace(value, (rest) => validateJsonValue(recoveryReportSchema, rest)),
  );
}

/** Reads and parses `recovery-report.json`; `undefined` when the file does not exist. */
export function readRecoveryReport(path: string): RecoveryReport | undefined {
  const text = readArtifactFileText('recovery_report', path);
  return text === undefined ? undefined : parseRecoveryReport(text, path);
}

/**
 * Tau's bytes for a recovery report in pieces of about `chunkChars` UTF-16
 * code units (default 64 Ki): pretty, Tau's key order, unknown keys after, no
 * trailing newline. `replayed_actions` holds one entry per audit row, so after
 * a long run the whole text would be one string of tens of megabytes; written
 * piece by piece (`replaceFileAtomically` takes the iterable) it never is.
 * Validates at the call, before the first piece: an invalid report throws
 * `ArtifactSerializeError` here rather than midway through a write.
 */
export function serializeRecoveryReportChunks(report: RecoveryReportToWrite, chunkChars?: number): Iterable<string> {
  const valid = validateWithActionsInPlace(report, (rest) =>
    validateForWrite('training recovery report', recoveryReportSchema, rest),
  );
  return writeTauJsonChunks(orderKeys(valid, RECOVERY_REPORT_KEYS), 'pretty', chunkChars);
}

/** Tau's bytes for a recovery report as one string: `serializeRecoveryReportChunks` joined. */
export function serializeRecoveryReport(report: RecoveryReportToWrite): string {
  let text = '';
  for (const piece of serializeRecoveryReportChunks(report, Number.POSITIVE_INFINITY)) text += piece;
  return text;
}
