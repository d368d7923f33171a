// The `audit verify|repair|timeline` operator commands: thin wrappers of
// @tau/audit-log that know where a state directory keeps its log and head.
import fs from 'node:fs';
import {
  readAuditLines,
  renderAuditTimeline,
  renderAuditVerification,
  repairTornTail,
  verifyAuditChain,
  type AuditVerification,
  type TornTailRepair,
} from '@tau/audit-log';
import { actionKeyFor, resolvePrincipal, type PrincipalEnvironment } from '@tau/rbac';
import { escapeTerminalText, formatErrorChain, readControlState, type AuditHead, type AuditReplayRow } from '@tau/schemas';
import { authorizeControlCommand } from './control-authorization.js';
import { stateDirPaths } from './state-dir-paths.js';
import { assertStateFileWrites } from './state-file-observation.js';
import { planAuditRepairWrites } from './state-file-writes.js';
import { withStateDirLock } from './state-dir-lock-scope.js';
import { requireExistingStateDir } from './state-dir-presence.js';

/** What `audit verify` found. */
export interface AuditVerifyOutcome {
  verification: AuditVerification;
  /** True when the chain is intact (notices such as a torn tail do not count). */
  ok: boolean;
  /** @tau/audit-log's rendering: text, or pretty JSON with `json`. */
  text: string;
  /** Why the check ran without the control state's audit head, if it did. */
  diagnostics: string[];
}

/**
 * `audit verify`: walks the hash chain of `<stateDir>/control-audit.jsonl`
 * against the audit head recorded in `control-state.json` (so truncation of
 * the tail is found too). Read-only, takes no lock and needs no
 * authorization, like `status`. An unreadable control state is reported and
 * the chain verified without a head.
 */
export function auditVerifyCommand(stateDir: string, options: { json?: boolean } = {}): AuditVerifyOutcome {
  requireExistingStateDir(stateDir);
  const paths = stateDirPaths(stateDir);
  const diagnostics: string[] = [];
  let expectedHead: AuditHead | null = null;
  try {
    expectedHead = readControlState(paths.controlState)?.audit_head ?? null;
  } catch (error) {
    diagnostics.push(`control state not read, verifying without its audit head: ${formatErrorChain(error)}`);
  }
  const verification = verifyAuditChain(paths.controlAudit, expectedHead);
  return {
    verification,
    ok: verification.ok,
    text: renderAuditVerification(verification, { json: options.json === true }),
    diagnostics,
  };
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
        return repairTornTail(logPath, options.now);
      })
    : null;
  const text =
    repair === null
      ? `audit log '${escapeTerminalText(logPath)}': no torn final line, nothing to repair`
      : `audit log '${escapeTerminalText(logPath)}': torn final line (${repair.byte_length} bytes at byte ${repair.offset}) moved to ${escapeTerminalText(repair.quarantine_path)}`;
  return { principal, repair, text };
}
