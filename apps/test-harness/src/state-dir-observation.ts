import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replayAuditLog } from '@tau/audit-log';
import { stateDirPaths, verifyStateDirAuditLog } from '@tau/recovery';
import {
  CONTROL_AUDIT_FILE,
  CONTROL_STATE_FILE,
  RECOVERY_REPORT_FILE,
  TRAINING_STATUS_FILE,
  formatErrorChain,
  readControlState,
  readRecoveryReport,
  readTrainingStatus,
  type ControlState,
} from '@tau/schemas';
import type { StateDirObservation } from './crash-invariants.js';

/**
 * Reads a state dir the way the control plane's own readers do and collects
 * what the invariant checks need: which artifacts fail to parse
 * (@tau/schemas readers, @tau/audit-log replay), the control state, the
 * audit log's bytes, and what @tau/audit-log's chain verification found
 * (problems, plus rows appended without a chain link).
 */
export function observeStateDir(stateDir: string): StateDirObservation {
  const unreadableArtifacts: { file: string; message: string }[] = [];
  const attempt = <T>(file: string, read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      unreadableArtifacts.push({ file, message: formatErrorChain(error) });
      return undefined;
    }
  };
  const auditPath = join(stateDir, CONTROL_AUDIT_FILE);
  const controlState: ControlState | undefined = attempt(CONTROL_STATE_FILE, () => readControlState(join(stateDir, CONTROL_STATE_FILE)));
  attempt(TRAINING_STATUS_FILE, () => readTrainingStatus(join(stateDir, TRAINING_STATUS_FILE)));
  attempt(RECOVERY_REPORT_FILE, () => readRecoveryReport(join(stateDir, RECOVERY_REPORT_FILE)));
  attempt(CONTROL_AUDIT_FILE, () => replayAuditLog(auditPath));
  // Judged as `audit verify` judges it: against our head file, missing files included.
  const verification = attempt(CONTROL_AUDIT_FILE, () => verifyStateDirAuditLog(stateDirPaths(stateDir)).verification);
  const chainProblems = [
    ...(verification?.problems ?? []),
    ...(verification?.notices.filter((notice) => notice.kind === 'unchained_after_chained') ?? []),
  ].map((finding) => `${finding.kind}${finding.line === null ? '' : ` at line ${finding.line}`}: ${finding.detail}`);
  return {
    unreadableArtifacts,
    controlState,
    auditLog: existsSync(auditPath) ? readFileSync(auditPath) : Buffer.alloc(0),
    chainProblems,
  };
}
