import {
  CONTROL_AUDIT_FILE,
  CONTROL_AUDIT_HEAD_FILE,
  CONTROL_STATE_FILE,
  FALLBACK_CHECKPOINT_FILE,
  PRIMARY_CHECKPOINT_FILE,
  RECOVERY_REPORT_FILE,
  TRAINING_STATUS_FILE,
} from '@tau/schemas';

/** Resume writes its report here first; the audit row that commits it names its digest. */
export const PENDING_RECOVERY_REPORT_FILE = 'recovery-report.pending.json';

/** Every artifact path of one state directory, spelled as the operator gave the directory. */
export interface StateDirPaths {
  stateDir: string;
  controlState: string;
  controlAudit: string;
  /** Our audit head file beside the log (`control-audit.head.json`). */
  controlAuditHead: string;
  trainingStatus: string;
  recoveryReport: string;
  /** Resume's report before its audit row commits it (`recovery-report.pending.json`). */
  pendingRecoveryReport: string;
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
    controlAuditHead: joinStateDirPath(stateDir, CONTROL_AUDIT_HEAD_FILE),
    trainingStatus: joinStateDirPath(stateDir, TRAINING_STATUS_FILE),
    recoveryReport: joinStateDirPath(stateDir, RECOVERY_REPORT_FILE),
    pendingRecoveryReport: joinStateDirPath(stateDir, PENDING_RECOVERY_REPORT_FILE),
    primaryCheckpoint: joinStateDirPath(stateDir, PRIMARY_CHECKPOINT_FILE),
    fallbackCheckpoint: joinStateDirPath(stateDir, FALLBACK_CHECKPOINT_FILE),
  };
}
