import * as z from 'zod/mini';
import { CHECKPOINT_VERSION } from './constants.js';
import { describeJsonValue } from './json-value-description.js';
import { u64Schema } from './u64.js';

const jsonObjectSchema = z.record(z.string(), z.unknown(), {
  error: (issue) => `expected a JSON object, got ${describeJsonValue(issue.input)}`,
});

/**
 * The top-level fields of `policy-checkpoint.json` / `policy-checkpoint.rollback.json`.
 * `policy_state` and `optimizer_state` are only checked to be objects: they are
 * the trainer's business and can be hundreds of megabytes (@tau/checkpoint-store
 * streams them and owns Tau's loader messages).
 */
export const policyCheckpointHeaderSchema = z.looseObject({
  checkpoint_version: z.literal(CHECKPOINT_VERSION),
  run_id: z.string().check(z.refine((value) => value.trim() !== '', { error: 'must not be blank' })),
  policy_state: jsonObjectSchema,
  optimizer_state: jsonObjectSchema,
  global_step: u64Schema,
  optimizer_step: u64Schema,
  saved_at_unix_seconds: u64Schema,
});
/** A whole policy checkpoint (header fields plus the two state objects). */
export type PolicyCheckpoint = z.infer<typeof policyCheckpointHeaderSchema>;
/**
 * A checkpoint's header: everything but the two (possibly huge) state objects.
 * (Key remapping rather than `Omit`, which would drop every named field of a type
 * with an index signature.)
 */
export type PolicyCheckpointHeader = {
  [K in keyof PolicyCheckpoint as K extends 'policy_state' | 'optimizer_state' ? never : K]: PolicyCheckpoint[K];
};

/** Key order the trainer writes (for writers of checkpoints, e.g. @tau/checkpoint-store). */
export const POLICY_CHECKPOINT_KEYS = [
  'checkpoint_version',
  'run_id',
  'policy_state',
  'optimizer_state',
  'global_step',
  'optimizer_step',
  'saved_at_unix_seconds',
] as const;
