import type { CheckpointSource, ControlState, RecoveryReportToWrite, ReplayedActionSequence, TrainingStatus } from '@tau/schemas';

/** Tau's diagnostic when resume found nothing to recover. */
export const NO_CRASH_DIAGNOSTIC = 'resume recovery: no crash-detected state, checkpoint restore not required';

/** The checkpoint a resume restored, reduced to what the report records. */
export interface RestoredCheckpoint {
  source: CheckpointSource;
  run_id: string;
  global_step: number;
  optimizer_step: number;
  /** Tau's diagnostics of the restore, e.g. `primary checkpoint load failed: <cause>` when the fallback was used. */
  diagnostics: string[];
}

/** Everything a recovery report is made of. */
export interface RecoveryReportInput {
  recoveredAtUnixMs: number;
  principal: string;
  /** The (reconciled) control state before the resume. */
  priorControlState: ControlState | undefined;
  trainingStatus: TrainingStatus | undefined;
  /**
   * Every replayed row's action, in log order: an array or a compact
   * sequence (the replay's `AuditActionList`, a byte per row). The report
   * shares it rather than copying it, so it must not change after.
   */
  replayedActions: string[] | ReplayedActionSequence;
  crashDetected: boolean;
  /** The restored checkpoint; null when no crash was detected. */
  restored: RestoredCheckpoint | null;
  /** Our findings (torn tail, reconciliation, dry run), after Tau's diagnostics. */
  additionalDiagnostics?: string[];
}

/**
 * Builds `recovery-report.json`'s content (pure; REFERENCE.md "Resume"):
 * `prior_lifecycle_state` is the control state's lifecycle or `missing`,
 * `prior_training_state` the run state or null, checkpoint fields null when
 * nothing was restored. Tau's own diagnostics come first (the fallback note,
 * or the no-crash line), so scripts reading `diagnostics[0]` keep working;
 * ours follow.
 */
export function buildRecoveryReport(input: RecoveryReportInput): RecoveryReportToWrite {
  const tauDiagnostics = input.crashDetected ? (input.restored?.diagnostics ?? []) : [NO_CRASH_DIAGNOSTIC];
  const restored = input.crashDetected ? input.restored : null;
  return {
    schema_version: 1,
    recovered_at_unix_ms: input.recoveredAtUnixMs,
    principal: input.principal,
    crash_detected: input.crashDetected,
    prior_lifecycle_state: input.priorControlState?.lifecycle_state ?? 'missing',
    prior_training_state: input.trainingStatus?.run_state ?? null,
    replayed_audit_events: input.replayedActions.length,
    replayed_actions: input.replayedActions,
    checkpoint_source: restored?.source ?? null,
    checkpoint_run_id: restored?.run_id ?? null,
    checkpoint_global_step: restored?.global_step ?? null,
    checkpoint_optimizer_step: restored?.optimizer_step ?? null,
    diagnostics: [...tauDiagnostics, ...(input.additionalDiagnostics ?? [])],
  };
}
