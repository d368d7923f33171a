import {
  readControlState,
  readRecoveryReport,
  readTrainingStatus,
  type ControlState,
  type RecoveryReport,
  type TrainingStatus,
} from '@tau/schemas';
import type { StateDirPaths } from './state-dir-paths.js';

/** The JSON artifacts of a state directory as they are on disk (undefined: the file does not exist). */
export interface StateDirSnapshot {
  controlState: ControlState | undefined;
  trainingStatus: TrainingStatus | undefined;
  recoveryReport: RecoveryReport | undefined;
}

/**
 * Reads the control state, the training status and the recovery report, in
 * Tau's order. Any of them malformed fails the command (a malformed recovery
 * report fails every command, `status` included, as in Tau) with Tau's
 * `failed to parse ... '<path>'`.
 */
export function loadStateDirSnapshot(paths: StateDirPaths): StateDirSnapshot {
  return {
    controlState: readControlState(paths.controlState),
    trainingStatus: readTrainingStatus(paths.trainingStatus),
    recoveryReport: readRecoveryReport(paths.recoveryReport),
  };
}
