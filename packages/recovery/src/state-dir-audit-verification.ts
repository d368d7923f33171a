// `audit verify` for a state directory: the chain checked against our head
// file (the authority), plus the directory's own findings, with accepted
// findings taken out of the problems and listed as history from the
// `audit accept` rows that recorded them.
import { AuditChainFold, foldAuditChain, type AuditFinding, type AuditVerification } from '@tau/audit-log';
import { formatErrorChain, readAuditHeadFile, readControlState, type AuditHeadFile, type AuditReplayRow, type ControlState } from '@tau/schemas';
import { chainFoldOptionsFor, unacceptedProblems, withStateDirFindings, type AcceptedFinding } from './audit-integrity.js';
import type { StateDirPaths } from './state-dir-paths.js';

/** The action of a row that accepts findings. */
export const AUDIT_ACCEPT_ACTION = 'audit_accept' as const;

/** One `audit accept` row, as `audit verify` lists it. */
export interface AcceptedHistoryEntry {
  /** The line of the accept row. */
  line: number;
  principal: string | null;
  accepted_at_unix_ms: number | null;
  reason: string | null;
  findings: AuditFinding<string>[];
}

/** `audit verify`'s document: the chain verification, with accepted history. */
export interface StateDirAuditVerification extends AuditVerification {
  /** Where the recorded head came from: our head file, the control state's legacy head, or nowhere. */
  head_source: 'file' | 'legacy' | 'missing';
  /** Every `audit accept` row, oldest first; their findings are not in `problems`. */
  accepted: AcceptedHistoryEntry[];
}

function isFinding(value: unknown): value is AuditFinding<string> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.kind === 'string' && (v.line === null || typeof v.line === 'number') && typeof v.detail === 'string';
}

/** An accept row's findings and who, when, why (tolerant: a hand-edited row shows what it holds). */
export function acceptedEntryOf(line: number, row: AuditReplayRow): AcceptedHistoryEntry {
  const findings = Array.isArray(row.accepted_findings) ? row.accepted_findings.filter(isFinding) : [];
  return {
    line,
    principal: typeof row.principal === 'string' ? row.principal : null,
    accepted_at_unix_ms: typeof row.timestamp_unix_ms === 'number' ? row.timestamp_unix_ms : null,
    reason: typeof row.reason === 'string' ? row.reason : null,
    findings,
  };
}

/**
 * Reads the head file and the control state (an unreadable one is reported
 * in `diagnostics` and treated as absent), walks the log once, and decides.
 */
export function verifyStateDirAuditLog(paths: StateDirPaths): { verification: StateDirAuditVerification; diagnostics: string[] } {
  const diagnostics: string[] = [];
  let controlState: ControlState | undefined;
  let controlStateRead = true;
  try {
    controlState = readControlState(paths.controlState);
  } catch (error) {
    controlStateRead = false;
    diagnostics.push(`control state not read: ${formatErrorChain(error)}`);
  }
  let headFile: AuditHeadFile | undefined;
  try {
    headFile = readAuditHeadFile(paths.controlAuditHead);
  } catch (error) {
    diagnostics.push(`audit head file not read, verifying without it: ${formatErrorChain(error)}`);
  }
  const options = chainFoldOptionsFor(headFile, controlState);
  const accepted: AcceptedHistoryEntry[] = [];
  const chain = foldAuditChain(paths.controlAudit, new AuditChainFold(options), {
    actions: new Set([AUDIT_ACCEPT_ACTION]),
    onCollected: (line, row) => accepted.push(acceptedEntryOf(line, row)),
  });
  // A control state we could not parse is there: not "missing".
  const withDir = withStateDirFindings(chain, controlState !== undefined || !controlStateRead, paths.controlState);
  if (withDir.problems[0]?.kind === 'control_state_missing') diagnostics.push(`control state '${paths.controlState}' does not exist (or is a dangling link)`);
  return { verification: decideAccepted(withDir, options.headSource, headFile?.accepted_findings ?? [], accepted), diagnostics };
}

/**
 * Takes accepted findings out of the problems (pure). A finding counts as
 * accepted only when an accept row records it; the head file's list must be
 * backed by those rows, or the difference is itself a problem.
 */
export function decideAccepted(
  verification: AuditVerification,
  headSource: StateDirAuditVerification['head_source'],
  headFileAccepted: readonly AcceptedFinding[],
  history: AcceptedHistoryEntry[],
): StateDirAuditVerification {
  const recorded: AcceptedFinding[] = history.flatMap((entry) => entry.findings.map(({ kind, line }) => ({ kind, line })));
  const recordedKeys = new Set(recorded.map((f) => `${f.kind}@${f.line ?? 'log'}`));
  const problems = unacceptedProblems(verification, recorded);
  for (const finding of headFileAccepted) {
    if (!recordedKeys.has(`${finding.kind}@${finding.line ?? 'log'}`)) {
      problems.push({
        kind: 'unrecorded_acceptance',
        line: finding.line,
        detail: `the audit head file lists ${finding.kind} as accepted, but no \`audit accept\` row records it: the head file was edited`,
      });
    }
  }
  return {
    ...verification,
    ok: problems.length === 0 && verification.problems_not_listed === 0,
    problems,
    head_source: headSource,
    accepted: history,
  };
}
