import {
  CONTROL_AUDIT_FILE,
  CONTROL_STATE_FILE,
  FALLBACK_CHECKPOINT_FILE,
  PRIMARY_CHECKPOINT_FILE,
  RECOVERY_REPORT_FILE,
  TRAINING_STATUS_FILE,
} from '@tau/schemas';

/** Every artifact path of one state directory, spelled as the operator gave the directory. */
export interface StateDirPaths {
  stateDir: string;
  controlState: string;
  controlAudit: string;
  trainingStatus: string;
  recoveryReport: string;
  primaryCheckpoint: string;
  fallbackCheckpoint: string;
}

/**
 * Joins a state directory and a file name the way Tau prints it: as given,
 * plus `/` and the name. `path.join` would normalise `./x` to `x`, and Tau's
 * output (which operators' scripts parse) keeps the directory verbatim.
 */
export function joinStateDirPath(stateDir: string, fileName: string): string {
  return stateDir.endsWith('/') ? `${stateDir}${fileName}` : `${stateDir}/${fileName}`;
}

/** The artifact paths of a state directory. */
export function stateDirPaths(stateDir: string): StateDirPaths {
  return {
    stateDir,
    controlState: joinStateDirPath(stateDir, CONTROL_STATE_FILE),
    controlAudit: joinStateDirPath(stateDir, CONTROL_AUDIT_FILE),
    trainingStatus: joinStateDirPath(stateDir, TRAINING_STATUS_FILE),
    recoveryReport: joinStateDirPath(stateDir, RECOVERY_REPORT_FILE),
    primaryCheckpoint: joinStateDirPath(stateDir, PRIMARY_CHECKPOINT_FILE),
    fallbackCheckpoint: joinStateDirPath(stateDir, FALLBACK_CHECKPOINT_FILE),
  };
}
