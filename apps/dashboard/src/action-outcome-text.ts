// The one line shown after an action succeeds, from the command's JSON document.
import type { ControlReport } from '@tau/schemas';

/**
 * What happened, in words: the new lifecycle, and for a resume that found a
 * crash, which checkpoint it restored (a resume of a "running" run is
 * idempotent for the lifecycle but still restores: "nothing changed" would mislead).
 */
export function describeActionOutcome(label: string, report: Pick<ControlReport, 'control_state' | 'idempotent' | 'recovery_crash_detected' | 'recovery_checkpoint_source' | 'checkpoint_run_id'>): string {
  const lifecycle = `${label} done: lifecycle is now ${report.control_state?.lifecycle_state ?? 'unknown'}`;
  if (report.recovery_crash_detected === true && report.recovery_checkpoint_source !== null) {
    const run = report.checkpoint_run_id === null ? '' : ` (run ${report.checkpoint_run_id})`;
    return `${lifecycle}; the crash was recovered from the ${report.recovery_checkpoint_source} checkpoint${run}.`;
  }
  if (report.idempotent === true) return `${lifecycle} (it already was: nothing changed).`;
  return `${lifecycle}.`;
}
