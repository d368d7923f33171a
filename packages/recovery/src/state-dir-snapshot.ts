import {
  readControlState,
  readRecoveryReportWithoutActions,
  readTrainingStatus,
  type ControlState,
  type TrainingStatus,
} from '@tau/schemas';
import type { RecoveryReportFields } from './control-report.js';
import type { StateDirPaths } from './state-dir-paths.js';

/** The JSON artifacts of a state directory as they are on disk (undefined: the file does not exist). */
export interface StateDirSnapshot {
  controlState: ControlState | undefined;
  trainingStatus: TrainingStatus | undefined;
  /** The recovery report on disk, reduced to what a command's output reads from it. */
  recoveryReport: RecoveryReportFields | undefined;
}

/**
 * Reads the control state, the training status and the recovery report, in
 * Tau's order. Any of them malformed fails the command (a malformed recovery
 * report fails every command, `status` included, as in Tau) with Tau's
 * `failed to parse ... '<path>'`.
 */
export function loadStateDirSnapshot(paths: StateDirPaths): StateDirSnapshot {
  const controlState = readControlState(paths.controlState);
  const trainingStatus = readTrainingStatus(paths.trainingStatus);
  // Validated in full (a malformed report fails the command), kept in part: no
  // command needs the old report's replayed_actions, one entry per audit row.
  const report = readRecoveryReportWithoutActions(paths.recoveryReport);
  const recoveryReport: RecoveryReportFields | undefined =
    report === undefined
      ? undefined
      : {
          checkpoint_source: report.checkpoint_source,
          crash_detected: report.crash_detected,
          replayed_audit_events: report.replayed_audit_events,
          checkpoint_run_id: report.checkpoint_run_id,
        };
  return { controlState, trainingStatus, recoveryReport };
}
