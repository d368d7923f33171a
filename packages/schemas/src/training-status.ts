import * as z from 'zod/mini';
import { SCHEMA_VERSION } from './constants.js';
import { parseArtifactText, readArtifactFileText, validateForWrite } from './artifact-codec.js';
import { F64Value, orderKeys, writeTauJson, type TauJsonValue } from './tau-json-writer.js';
import { u64Schema } from './u64.js';

// Tau's Option fields read `null` as absent (serde); we accept it and never write it.
const optionalF64 = z.optional(z.nullable(z.number()));

/** The `rl_optimizer` block of `status.json` (present once the RL optimizer ran or was skipped). */
export const rlOptimizerStatusSchema = z.looseObject({
  executed: z.boolean(),
  trajectories: u64Schema,
  samples: u64Schema,
  mean_total_loss: optionalF64,
  observed_approx_kl: optionalF64,
  early_stop_triggered: z.boolean(),
  skipped_reason: z.optional(z.nullable(z.string())),
});
/** The `rl_optimizer` block of `status.json`. */
export type RlOptimizerStatus = z.infer<typeof rlOptimizerStatusSchema>;

/** `status.json`, written by the training run (never by control actions). */
export const trainingStatusSchema = z.looseObject({
  schema_version: z.literal(SCHEMA_VERSION),
  updated_unix_ms: u64Schema,
  run_state: z.string(),
  model_ref: z.string(),
  store_path: z.string(),
  total_rollouts: u64Schema,
  succeeded: u64Schema,
  failed: u64Schema,
  cancelled: u64Schema,
  rl_optimizer: z.optional(z.nullable(rlOptimizerStatusSchema)),
});
/** The training run's status (`status.json`). */
export type TrainingStatus = z.infer<typeof trainingStatusSchema>;

/** Key order of `status.json`. */
export const TRAINING_STATUS_KEYS = [
  'schema_version',
  'updated_unix_ms',
  'run_state',
  'model_ref',
  'store_path',
  'total_rollouts',
  'succeeded',
  'failed',
  'cancelled',
  'rl_optimizer',
] as const;

/** Key order of the `rl_optimizer` block. */
export const RL_OPTIMIZER_STATUS_KEYS = [
  'executed',
  'trajectories',
  'samples',
  'mean_total_loss',
  'observed_approx_kl',
  'early_stop_triggered',
  'skipped_reason',
] as const;

const F64_KEYS = new Set<string>(['mean_total_loss', 'observed_approx_kl']);

function orderRlOptimizer(block: RlOptimizerStatus): { [key: string]: TauJsonValue } {
  return orderKeys(block, RL_OPTIMIZER_STATUS_KEYS, (key, value) => {
    if (value === null) return undefined; // optional keys are omitted, never null
    return F64_KEYS.has(key) ? new F64Value(value as number) : (value as TauJsonValue);
  });
}

/** The training status as an ordered JSON value (also used inside the control report). */
export function orderTrainingStatus(status: TrainingStatus): { [key: string]: TauJsonValue } {
  return orderKeys(status, TRAINING_STATUS_KEYS, (key, value) => {
    if (key !== 'rl_optimizer') return value as TauJsonValue;
    return value === null ? undefined : orderRlOptimizer(value as RlOptimizerStatus);
  });
}

/** Parses `status.json` text; throws `ArtifactParseError` (Tau's message, naming `path`), caused by `UnsupportedSchemaVersionError` for another schema version. */
export function parseTrainingStatus(text: string, path: string): TrainingStatus {
  return parseArtifactText('training_status', trainingStatusSchema, SCHEMA_VERSION, text, path);
}

/** Reads and parses `status.json`; `undefined` when the file does not exist. */
export function readTrainingStatus(path: string): TrainingStatus | undefined {
  const text = readArtifactFileText('training_status', path);
  return text === undefined ? undefined : parseTrainingStatus(text, path);
}

/**
 * Tau's bytes for `status.json` (the trainer writes it; this is for fixtures
 * and tools): pretty, Tau's key order, optional keys omitted rather than null,
 * f64 fields in serde's layout.
 */
export function serializeTrainingStatus(status: TrainingStatus): string {
  return writeTauJson(orderTrainingStatus(validateForWrite('training status', trainingStatusSchema, status)), 'pretty');
}
