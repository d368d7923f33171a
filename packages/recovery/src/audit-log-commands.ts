// The `audit verify|repair|timeline` operator commands: thin wrappers of
// @tau/audit-log that know where a state directory keeps its log and head.
import fs from 'node:fs';
import {
  readAuditLines,
  renderAuditTimeline,
  renderAuditVerification,
  repairTornTail,
  type TornTailRepair,
} from '@tau/audit-log';
import { actionKeyFor, resolvePrincipal, type PrincipalEnvironment } from '@tau/rbac';
import { escapeTerminalText, unixMsText, type AuditReplayRow } from '@tau/schemas';
import { verifyStateDirAuditLog, type AcceptedHistoryEntry, type StateDirAuditVerification } from './state-dir-audit-verification.js';
import { authorizeControlCommand } from './control-authorization.js';
import { AuditLogUnverifiedError } from './control-errors.js';
import { stateDirPaths } from './state-dir-paths.js';
import { assertStateFileWrites } from './state-file-observation.js';
import { planAuditRepairWrites } from './state-file-writes.js';
import { withStateDirLock } from './state-dir-lock-scope.js';
import { requireExistingStateDir } from './state-dir-presence.js';

/** What `audit verify` found. */
export interface AuditVerifyOutcome {
  verification: StateDirAuditVerification;
  /** True when the chain is intact or every finding was accepted (notices such as a torn tail do not count). */
  ok: boolean;
  /** @tau/audit-log's rendering plus accepted history: text, or pretty JSON with `json`. */
  text: string;
  /** Files that could not be read (the check ran without them). */
  diagnostics: string[];
}

function describeAccepted(entry: AcceptedHistoryEntry): string[] {
  const when = entry.accepted_at_unix_ms === null ? 'unknown time' : unixMsText(entry.accepted_at_unix_ms);
  const e = escapeTerminalText;
  const lines = [`  line ${entry.line}: accepted by ${e(entry.principal ?? 'unknown')} at ${when}: ${e(JSON.stringify(entry.reason ?? ''))}`];
  for (const f of entry.findings) lines.push(`    ${f.line === null ? 'log' : `line ${f.line}`}: ${f.kind}: ${e(f.detail)}`);
  return lines;
}

/**
 * `audit verify`: walks the hash chain of `<stateDir>/control-audit.jsonl`
 * against our head file `control-audit.head.json` (truncation, an edited or
 * moved head row, a deleted head file), and reports a deleted control state;
 * findings accepted by `audit accept` rows are listed as history, not as
 * problems. Read-only, takes no lock and needs no authorization, like
 * `status`.
 */
export function auditVerifyCommand(stateDir: string, options: { json?: boolean } = {}): AuditVerifyOutcome {
  requireExistingStateDir(stateDir);
  const { verification, diagnostics } = verifyStateDirAuditLog(stateDirPaths(stateDir));
  const text = options.json === true ? renderAuditVerification(verification, { json: true }) : renderAuditVerifyText(verification);
  return { verification, ok: verification.ok, text, diagnostics };
}

/**
 * `audit verify`'s text (pure): @tau/audit-log's rendering, then the accepted
 * history. Also how a client renders the control API's verify document.
 */
export function renderAuditVerifyText(verification: StateDirAuditVerification): string {
  const text = renderAuditVerification(verification, { json: false });
  if (verification.accepted.length === 0) return text;
  return `${text}\naccepted (audit accept):\n${verification.accepted.flatMap(describeAccepted).join('\n')}`;
}

function* auditRowsOf(filePath: string): Generator<AuditReplayRow> {
  for (const line of readAuditLines(filePath)) yield line.row;
}

/**
 * `audit timeline`: lifecycle transitions over time, one line per row
 * (colour only when asked; decide with @tau/audit-log `shouldUseColor`).
 * A malformed terminated row fails with Tau's line-indexed message.
 */
export function auditTimelineCommand(stateDir: string, options: { color: boolean }): string {
  requireExistingStateDir(stateDir);
  return renderAuditTimeline(auditRowsOf(stateDirPaths(stateDir).controlAudit), { color: options.color });
}

/** Who asks for `audit repair`, and where. */
export interface AuditRepairRequest {
  stateDir: string;
  rbacPolicyPath: string;
  /** As given; blank or absent resolves to the local principal. */
  principal?: string;
}

/** What `audit repair` did. */
export interface AuditRepairOutcome {
  principal: string;
  /** The quarantined torn tail, or null when the log ended cleanly (or does not exist). */
  repair: TornTailRepair | null;
  /** One line for the operator. */
  text: string;
}

/** The RBAC action `audit repair` is authorized as: it makes the log resumable again, so it needs resume's permission. */
export const AUDIT_REPAIR_ACTION = 'resume' as const;

/**
 * `audit repair`: quarantines a torn final line (an interrupted append) to
 * `<log>.torn-<unix_ms>` and truncates the log to its last complete row,
 * under the state-directory lock. There is no Tau action key for it, so it
 * requires `control:rl:resume`. Appends no audit row (rows record lifecycle
 * actions) and never touches complete lines: a malformed terminated row is
 * for the operator to fix, as the runbook says. A missing state directory
 * has nothing to repair and is not created; a log path that cannot be
 * written (a dangling link, a directory, a FIFO) fails with
 * `StateFileUnwritableError` before anything is written.
 */
export async function repairAuditLogCommand(
  request: AuditRepairRequest,
  env: PrincipalEnvironment = process.env,
  options: { now?: () => number } = {},
): Promise<AuditRepairOutcome> {
  const principal = resolvePrincipal(request.principal, env);
  await authorizeControlCommand(request.rbacPolicyPath, principal, 'audit repair', actionKeyFor(AUDIT_REPAIR_ACTION));
  const paths = stateDirPaths(request.stateDir);
  const logPath = paths.controlAudit;
  const repair = fs.existsSync(request.stateDir)
    ? withStateDirLock(request.stateDir, 'audit repair', () => {
        // A log that cannot be cut (a dangling link, a directory, a FIFO) fails here, before the quarantine is written.
        assertStateFileWrites(planAuditRepairWrites(paths));
        // Like every command that writes, repair refuses a log that fails verification (accept first).
        const { verification } = verifyStateDirAuditLog(paths);
        const first = verification.problems[0];
        if (first !== undefined) throw new AuditLogUnverifiedError(logPath, first, verification.problems.length);
        return repairTornTail(logPath, options.now);
      })
    : null;
  const text =
    repair === null
      ? `audit log '${escapeTerminalText(logPath)}': no torn final line, nothing to repair`
      : `audit log '${escapeTerminalText(logPath)}': torn final line (${repair.byte_length} bytes at byte ${repair.offset}) moved to ${escapeTerminalText(repair.quarantine_path)}`;
  return { principal, repair, text };
}
