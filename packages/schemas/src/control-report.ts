import * as z from 'zod/mini';
import { validateForWrite } from './artifact-codec.js';
import { SCHEMA_VERSION } from './constants.js';
import { orderControlState, controlStateSchema, type ControlState } from './control-state.js';
import { checkpointSourceSchema, controlActionSchema } from './enums.js';
import { orderKeys, writeTauJson, type TauJsonValue } from './tau-json-writer.js';
import { orderTrainingStatus, trainingStatusSchema, type TrainingStatus } from './training-status.js';
import { u64Schema } from './u64.js';

/**
 * The control command's `--json` document. The four `recovery_*` fields come
 * from the recovery report on disk (null when there is none); `idempotent` is
 * null for `status`. `diagnostics` is our extension (absent when there is
 * nothing to say, so the document is otherwise exactly Tau's).
 */
export const controlReportSchema = z.looseObject({
  schema_version: z.literal(SCHEMA_VERSION),
  state_dir: z.string(),
  control_state_path: z.string(),
  control_audit_path: z.string(),
  action: controlActionSchema,
  principal: z.string(),
  idempotent: z.nullable(z.boolean()),
  rollback_checkpoint: z.nullable(z.string()),
  checkpoint_run_id: z.nullable(z.string()),
  recovery_report_path: z.nullable(z.string()),
  recovery_checkpoint_source: z.nullable(checkpointSourceSchema),
  recovery_crash_detected: z.nullable(z.boolean()),
  recovery_replayed_audit_events: z.nullable(u64Schema),
  control_state: z.nullable(controlStateSchema),
  training_status: z.nullable(trainingStatusSchema),
  diagnostics: z.optional(z.array(z.string())),
});
/** The control command's `--json` document. */
export type ControlReport = z.infer<typeof controlReportSchema>;

/** Key order of the control report. */
export const CONTROL_REPORT_KEYS = [
  'schema_version',
  'state_dir',
  'control_state_path',
  'control_audit_path',
  'action',
  'principal',
  'idempotent',
  'rollback_checkpoint',
  'checkpoint_run_id',
  'recovery_report_path',
  'recovery_checkpoint_source',
  'recovery_crash_detected',
  'recovery_replayed_audit_events',
  'control_state',
  'training_status',
  'diagnostics',
] as const;

/** The `--json` document: pretty, in key order, nested artifacts in their own key order, no trailing newline. */
export function serializeControlReport(report: ControlReport): string {
  const valid = validateForWrite('control report', controlReportSchema, report);
  return writeTauJson(
    orderKeys(valid, CONTROL_REPORT_KEYS, (key, value) => {
      if (value !== null && key === 'control_state') return orderControlState(value as ControlState);
      if (value !== null && key === 'training_status') return orderTrainingStatus(value as TrainingStatus);
      return value as TauJsonValue;
    }),
    'pretty',
  );
}
