import * as z from 'zod/mini';
import { lifecycleStateSchema } from '../enums.js';

/** A run the server controls: its name and, when the files are readable, its states. */
export const apiRunSummarySchema = z.object({
  name: z.string(),
  lifecycle_state: z.nullable(lifecycleStateSchema),
  training_run_state: z.nullable(z.string()),
});
/** `GET /api/v1/runs`. */
export const apiRunListSchema = z.object({ runs: z.array(apiRunSummarySchema) });
/** `GET /api/v1/runs`. */
export type ApiRunList = z.infer<typeof apiRunListSchema>;

/** A run name: what `--config` may name a run, and so what `:run` may be. */
export const apiRunNameSchema = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/));

/** The path parameters of a run's routes. */
export const apiRunParamsSchema = z.object({ run: z.string() });
