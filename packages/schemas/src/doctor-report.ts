import * as z from 'zod/mini';
import { checkpointSourceSchema } from './enums.js';

/** One check `doctor` ran: a name, whether it passed, and what it found. */
export const doctorCheckSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  detail: z.string(),
});
/** One check `doctor` ran. */
export type DoctorCheckDocument = z.infer<typeof doctorCheckSchema>;

/** Who holds the state-directory lock (`stale`: the holder is gone); our extension. */
export const lockHolderSchema = z.object({
  pid: z.nullable(z.number()),
  host: z.nullable(z.string()),
  since_unix_ms: z.number(),
  age_ms: z.number(),
  command: z.nullable(z.string()),
  boot_id: z.nullable(z.string()),
  pid_namespace: z.nullable(z.number()),
  start_time_ticks: z.nullable(z.number()),
  /** `alive`, `stale` (provably gone) or `unknown` (cannot be judged from here). */
  verdict: z.enum(['alive', 'stale', 'unknown']),
  reason: z.string(),
  explanation: z.string(),
  stale: z.boolean(),
  complete: z.boolean(),
});

/** The `tau-po doctor --json` document. */
export const doctorReportSchema = z.object({
  state_dir: z.string(),
  principal: z.string(),
  checks: z.array(doctorCheckSchema),
  lock: z.nullable(lockHolderSchema),
  resume_would_succeed: z.boolean(),
  resume_crash_detected: z.nullable(z.boolean()),
  resume_checkpoint_source: z.nullable(checkpointSourceSchema),
  resume_checkpoint_run_id: z.nullable(z.string()),
  resume_error: z.nullable(z.string()),
  resume_exit_code: z.number(),
});
/** The `tau-po doctor --json` document. */
export type DoctorReportDocument = z.infer<typeof doctorReportSchema>;
