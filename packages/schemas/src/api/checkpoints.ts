import * as z from 'zod/mini';
import { u64Schema } from '../u64.js';

/** The header fields of a checkpoint that loaded (the two state objects are left out). */
export const apiCheckpointHeaderSchema = z.object({
  checkpoint_version: z.number(),
  run_id: z.string(),
  global_step: u64Schema,
  optimizer_step: u64Schema,
  saved_at_unix_seconds: u64Schema,
});

/**
 * One checkpoint file: whether it exists, its size, its header when it loads,
 * the digest sidecar's verdict (`absent` when there is no sidecar), and the
 * loader's error chain when it does not load.
 */
export const apiCheckpointCardSchema = z.object({
  path: z.string(),
  exists: z.boolean(),
  size_bytes: z.nullable(z.number()),
  header: z.nullable(apiCheckpointHeaderSchema),
  digest: z.enum(['verified', 'mismatch', 'absent']),
  error: z.nullable(z.string()),
});
/** One checkpoint file's card. */
export type ApiCheckpointCard = z.infer<typeof apiCheckpointCardSchema>;

/** `GET /api/v1/runs/:run/checkpoints`: both checkpoints and which one a resume would restore. */
export const apiCheckpointsSchema = z.object({
  primary: apiCheckpointCardSchema,
  fallback: apiCheckpointCardSchema,
  resume_would_use: z.nullable(z.enum(['primary', 'fallback'])),
});
/** `GET /api/v1/runs/:run/checkpoints`. */
export type ApiCheckpoints = z.infer<typeof apiCheckpointsSchema>;
