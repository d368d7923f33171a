// `audit accept --reason "..."`: an operator who may resume accepts what
// `audit verify` found, as an audited act. The accept row (a row Tau's reader
// takes: a JSON object with a string `action` and Tau's keys) records every
// finding it accepts with the hashes it covered, who, when and why; it is
// committed through `commitAuditRow`, which re-bases our head file on it.
// Nothing is erased: `audit verify` keeps listing the findings as accepted.
import fs from 'node:fs';
import { repairTornTail, replayAuditLog } from '@tau/audit-log';
import { replaceFileAtomically } from '@tau/durable-fs';
import { actionKeyFor, resolvePrincipal, type PrincipalEnvironment } from '@tau/rbac';
import { readAuditHeadFile, readControlState, serializeControlState, type AuditOperatorRow, type ControlState } from '@tau/schemas';
import { commitAuditRow } from './audit-commit.js';
import type { AcceptedFinding } from './audit-integrity.js';
import { AUDIT_REPAIR_ACTION } from './audit-log-commands.js';
import { authorizeControlCommand } from './control-authorization.js';
import { UsageError } from './control-errors.js';
import { reconcileControlState } from './control-state-reconcile.js';
import { AUDIT_ACCEPT_ACTION, verifyStateDirAuditLog, type StateDirAuditVerification } from './state-dir-audit-verification.js';
import { stateDirPaths } from './state-dir-paths.js';
import { assertStateFileWrites } from './state-file-observation.js';
import { withStateDirLock } from './state-dir-lock-scope.js';

/** Longest reason kept (a reason is a sentence, not a file). */
export const MAX_ACCEPT_REASON_CHARS = 1000;

/** Who accepts, where, and why. */
export interface AuditAcceptRequest {
  stateDir: string;
  rbacPolicyPath: string;
  principal?: string;
  reason: string;
}

/** What `audit accept` did. */
export interface AuditAcceptOutcome {
  principal: string;
  /** The findings accepted now; empty when there was nothing to accept (nothing written). */
  accepted: StateDirAuditVerification['problems'];
  /** Warnings from writes after the commit point. */
  warnings: string[];
  text: string;
}

/** The accept row (pure): Tau's nine keys, then what was accepted, over which hashes, and why. */
export function buildAuditAcceptRow(input: {
  nowUnixMs: number;
  principal: string;
  state: ControlState | undefined;
  verification: StateDirAuditVerification;
  reason: string;
}): AuditOperatorRow {
  const { verification } = input;
  return {
    schema_version: 1,
    timestamp_unix_ms: input.nowUnixMs,
    principal: input.principal,
    action: AUDIT_ACCEPT_ACTION,
    action_key: actionKeyFor(AUDIT_REPAIR_ACTION),
    // The lifecycle does not change; Tau's reader takes the row like any other.
    lifecycle_state: input.state?.lifecycle_state ?? 'running',
    idempotent: false,
    rollback_checkpoint: input.state?.rollback_checkpoint ?? null,
    recovery_checkpoint_source: null,
    accepted_findings: verification.problems.map(({ kind, line, detail }) => ({ kind, line, detail })),
    // The log as it stood when accepted: what the re-based head covers.
    accepted_log: {
      rows: verification.head.row_count,
      last_row_sha256: verification.head.last_row_sha256,
      expected_head: verification.expected_head,
    },
    reason: input.reason,
  };
}

function validReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed === '') throw new UsageError('audit accept needs --reason "<why these findings are accepted>"');
  if (trimmed.length > MAX_ACCEPT_REASON_CHARS) throw new UsageError(`--reason is longer than ${MAX_ACCEPT_REASON_CHARS} characters`);
  return trimmed;
}

/**
 * Under the state-directory lock: verifies the log; with nothing to accept,
 * writes nothing. Otherwise moves a torn tail aside (an append needs a clean
 * end), commits the accept row, rewrites the control state with the new
 * audit head (re-creating one that was deleted, from the log's last row),
 * and re-bases the head file, which carries the accepted findings forward.
 */
export async function auditAcceptCommand(
  request: AuditAcceptRequest,
  env: PrincipalEnvironment = process.env,
  options: { now?: () => number } = {},
): Promise<AuditAcceptOutcome> {
  const reason = validReason(request.reason);
  const principal = resolvePrincipal(request.principal, env);
  await authorizeControlCommand(request.rbacPolicyPath, principal, 'audit accept', actionKeyFor(AUDIT_REPAIR_ACTION));
  const paths = stateDirPaths(request.stateDir);
  const now = options.now ?? Date.now;
  if (!fs.existsSync(request.stateDir)) {
    return { principal, accepted: [], warnings: [], text: `audit log '${paths.controlAudit}': nothing to accept` };
  }
  return withStateDirLock(request.stateDir, 'audit accept', () => {
    const { verification } = verifyStateDirAuditLog(paths);
    if (verification.problems.length === 0) {
      return { principal, accepted: [], warnings: [], text: `audit log '${paths.controlAudit}': nothing to accept` };
    }
    assertStateFileWrites([
      { path: paths.controlAudit, method: 'in_place' },
      { path: paths.controlState, method: 'replace' },
      { path: paths.controlAuditHead, method: 'replace' },
    ]);
    const nowUnixMs = now();
    if (verification.notices.some((n) => n.kind === 'torn_tail')) repairTornTail(paths.controlAudit, now);
    const replay = replayAuditLog(paths.controlAudit, { collectActions: false });
    let headFile;
    try {
      headFile = readAuditHeadFile(paths.controlAuditHead);
    } catch {
      headFile = undefined; // An unreadable head file is one of the things being accepted; it is replaced.
    }
    let prior: ControlState | undefined;
    try {
      prior = readControlState(paths.controlState);
    } catch {
      prior = undefined;
    }
    const state = reconcileControlState(prior, replay, headFile).state;
    const acceptedBefore: AcceptedFinding[] = verification.accepted.flatMap((e) => e.findings.map(({ kind, line }) => ({ kind, line })));
    const acceptedNow: AcceptedFinding[] = verification.problems.map(({ kind, line }) => ({ kind, line }));
    const row = buildAuditAcceptRow({ nowUnixMs, principal, state, verification, reason });
    const committed = commitAuditRow({
      paths,
      row,
      tail: replay.head,
      acceptedFindings: [...acceptedBefore, ...acceptedNow],
      afterCommit: (head) =>
        state === undefined
          ? []
          : [
              {
                label: `control state '${paths.controlState}'`,
                run: () => replaceFileAtomically(paths.controlState, serializeControlState({ ...state, audit_head: head })),
              },
            ],
    });
    const kinds = verification.problems.map((p) => p.kind).join(', ');
    return {
      principal,
      accepted: verification.problems,
      warnings: committed.warnings,
      text: `audit log '${paths.controlAudit}': accepted ${verification.problems.length} finding${verification.problems.length === 1 ? '' : 's'} (${kinds}) as ${principal}; recorded at row ${committed.head.row_count}`,
    };
  });
}
