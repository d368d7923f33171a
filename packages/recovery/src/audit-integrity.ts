// Decides whether a state directory's audit log may take another commit
// (pure), from the chain fold's verdict and what the directory holds: our
// head file, the control state. I/O (reading the head file, feeding the
// fold) is done by the executor.
import type { AuditChainFoldOptions, AuditFinding, AuditProblemKind, AuditVerification } from '@tau/audit-log';
import type { AuditHeadFile, ControlState } from '@tau/schemas';
import { AuditLogUnverifiedError } from './control-errors.js';

/** A finding an operator accepted (`audit accept`), as the head file carries it: kind and line. */
export type AcceptedFinding = NonNullable<AuditHeadFile['accepted_findings']>[number];

/** The fold's options for a directory: our head file when present, else the control state's legacy head. */
export function chainFoldOptionsFor(headFile: AuditHeadFile | undefined, controlState: ControlState | undefined): AuditChainFoldOptions {
  if (headFile !== undefined) {
    const { row_count, last_row_offset, end_offset, last_row_sha256 } = headFile;
    return { expectedHead: { row_count, last_row_offset, end_offset, last_row_sha256 }, headSource: 'file' };
  }
  const legacy = controlState?.audit_head;
  if (legacy !== undefined && legacy !== null) {
    // Still checked by count and hash, so an edit shows beside `head_missing`.
    return {
      expectedHead: { row_count: legacy.row_count, last_row_offset: 0, end_offset: 0, last_row_sha256: legacy.last_row_sha256 },
      headSource: 'missing',
    };
  }
  return { expectedHead: null, headSource: 'missing' };
}

/**
 * The verdict with the state directory's own findings added: a missing
 * control state while more than one chained row exists (our protocol never
 * deletes it; a crash before the first state write leaves one row at most).
 */
export function withStateDirFindings(verification: AuditVerification, controlStatePresent: boolean, controlStatePath: string): AuditVerification {
  if (controlStatePresent || verification.chained_rows <= 1) return verification;
  const finding: AuditFinding<AuditProblemKind> = {
    kind: 'control_state_missing',
    line: null,
    detail: `${verification.chained_rows} chained rows but no control state '${controlStatePath}': it was deleted (our commits never remove it)`,
  };
  return { ...verification, ok: false, problems: [finding, ...verification.problems] };
}

/** Same kind at the same line: the key an accept row records. */
function findingKey(finding: { kind: string; line: number | null }): string {
  return `${finding.kind}@${finding.line ?? 'log'}`;
}

/** The problems no `audit accept` row covers, in log order. */
export function unacceptedProblems(
  verification: AuditVerification,
  accepted: readonly AcceptedFinding[],
): AuditFinding<AuditProblemKind>[] {
  const keys = new Set(accepted.map(findingKey));
  return verification.problems.filter((problem) => !keys.has(findingKey(problem)));
}

/**
 * The one refusal every writer shares: the chain check's verdict, with the
 * state directory's own findings, may hold no problem that an accept row does
 * not cover. Throws `AuditLogUnverifiedError` naming the first one.
 */
export function refuseUnverifiedAuditLog(
  verification: AuditVerification,
  directory: { controlAuditPath: string; controlStatePath: string; controlStatePresent: boolean },
  accepted: readonly AcceptedFinding[],
): void {
  const withDirectory = withStateDirFindings(verification, directory.controlStatePresent, directory.controlStatePath);
  const refused = unacceptedProblems(withDirectory, accepted);
  const first = refused[0];
  if (first !== undefined) throw new AuditLogUnverifiedError(directory.controlAuditPath, first, refused.length);
}
