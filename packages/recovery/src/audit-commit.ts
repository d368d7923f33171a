// The one way a row is committed to a state directory's audit log, shared by
// every command that appends (control commands, `audit accept`, `lock
// break`): append the chained row and fsync (the commit point), run the
// command's own writes that follow it, then replace our head file. After the
// commit point nothing fails the command: a failed write becomes a warning,
// and the head file is then left behind so the next command sees the row as
// committed but not applied and rolls it forward.
import { appendChainedAuditRow, auditLogChangeStamp } from '@tau/audit-log';
import { replaceFileAtomically } from '@tau/durable-fs';
import { formatErrorChain, serializeAuditHeadFile, type AuditHead, type AuditHeadFile, type AppendableAuditRow } from '@tau/schemas';
import type { AcceptedFinding } from './audit-integrity.js';
import type { StateDirPaths } from './state-dir-paths.js';

/** A write that follows the commit point (a report rename, the control state). */
export interface PostCommitWrite {
  /** What it writes, for the warning if it fails (`control state '<path>'`). */
  label: string;
  run: () => void;
}

/** One row to commit. */
export interface AuditCommit {
  paths: StateDirPaths;
  row: AppendableAuditRow;
  /** Where the log ends now: its complete rows and the last one's hash (the chain fold's tail position will do). */
  tail: AuditHead;
  /** Accepted findings the head file carries forward (plus any this row accepts). */
  acceptedFindings: readonly AcceptedFinding[];
  /** The writes after the commit point, in order, given the new audit head. */
  afterCommit: (head: AuditHead) => PostCommitWrite[];
}

/** What the commit did. */
export interface CommittedAuditRow {
  head: AuditHead;
  headFile: AuditHeadFile;
  /** One line per write that failed after the commit point (the command still succeeds). */
  warnings: string[];
}

/**
 * Appends `commit.row` (throws, having committed nothing, when the append
 * fails), then runs the post-commit writes and replaces the head file; their
 * failures become warnings. The head file is written only when every write
 * before it succeeded: it marks the row as fully applied.
 */
export function commitAuditRow(commit: AuditCommit): CommittedAuditRow {
  const { tail } = commit;
  const appended = appendChainedAuditRow(commit.paths.controlAudit, commit.row, {
    row_count: tail.row_count,
    last_row_sha256: tail.last_row_sha256,
  });
  // The commit point has passed: from here on, warnings only.
  const warnings: string[] = [];
  for (const write of commit.afterCommit(appended.head)) {
    try {
      write.run();
    } catch (error) {
      warnings.push(postCommitWarning(write.label, error));
    }
  }
  const headFile: AuditHeadFile = {
    schema_version: 1,
    row_count: appended.head.row_count,
    last_row_offset: appended.offset,
    end_offset: appended.offset + appended.byteLength + 1,
    last_row_sha256: appended.head.last_row_sha256,
  };
  // Taken after the append and before any later write to the log: lets the next command check in O(1).
  const logChange = auditLogChangeStamp(commit.paths.controlAudit);
  if (logChange !== null) headFile.log_change = logChange;
  if (commit.acceptedFindings.length > 0) headFile.accepted_findings = [...commit.acceptedFindings];
  if (warnings.length === 0) {
    try {
      replaceFileAtomically(commit.paths.controlAuditHead, serializeAuditHeadFile(headFile));
    } catch (error) {
      warnings.push(postCommitWarning(`audit head file '${commit.paths.controlAuditHead}'`, error));
    }
  }
  return { head: appended.head, headFile, warnings };
}

function postCommitWarning(label: string, error: unknown): string {
  return `warning: the audit row is committed, but writing ${label} failed: ${formatErrorChain(error)}; the next command rolls it forward`;
}
