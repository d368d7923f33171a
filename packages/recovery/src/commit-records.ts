import type { AuditHead, AuditRow, CheckpointSource, ControlAction, ControlState } from '@tau/schemas';
import type { LifecycleTransition } from './lifecycle-transition.js';

/** What one mutating command commits. */
export interface CommitRecordInput {
  nowUnixMs: number;
  principal: string;
  action: Exclude<ControlAction, 'status'>;
  /** The RBAC action key the command was authorized under (`control:rl:<action>`). */
  actionKey: string;
  transition: LifecycleTransition;
  /** The checkpoint a resume restored from; null when none (and for every other action). */
  recoveryCheckpointSource: CheckpointSource | null;
  /** How the principal was authenticated, for a command that came through the control API (extra keys Tau ignores). */
  attribution?: AuditAttribution;
}

/** Extra audit-row keys of a command that came through the control API: `auth: "token:<id>"` and the client's address. */
export interface AuditAttribution {
  auth: string;
  client_address: string;
}

/**
 * The audit row one mutating command appends (pure): Tau's nine keys;
 * @tau/audit-log adds `prev_sha256`, `os_user` and `host` as it appends.
 * `idempotent` is always
 * a boolean here (only `status` has none, and it appends nothing);
 * `recovery_checkpoint_source` is set on resume rows only.
 */
export function buildAuditRow(input: CommitRecordInput): AuditRow {
  return {
    schema_version: 1,
    timestamp_unix_ms: input.nowUnixMs,
    principal: input.principal,
    action: input.action,
    action_key: input.actionKey,
    lifecycle_state: input.transition.lifecycle_state,
    idempotent: input.transition.idempotent === true,
    rollback_checkpoint: input.transition.rollback_checkpoint,
    recovery_checkpoint_source: input.action === 'resume' ? input.recoveryCheckpointSource : null,
    // After Tau's keys (and the chain keys @tau/audit-log adds): Tau's reader ignores unknown keys.
    ...(input.attribution === undefined ? {} : { auth: input.attribution.auth, client_address: input.attribution.client_address }),
  };
}

/**
 * The control state written after the audit row (pure). It carries the same
 * timestamp as the row (reconciliation compares them) and the audit head
 * after the append, so the next command and `audit verify` can tell whether
 * the log moved on or was cut. A dry run, which appends nothing, has no head
 * to record (`undefined`: the key is left out).
 */
export function buildNextControlState(input: CommitRecordInput, auditHead: AuditHead | undefined): ControlState {
  const state: ControlState = {
    schema_version: 1,
    updated_unix_ms: input.nowUnixMs,
    lifecycle_state: input.transition.lifecycle_state,
    last_action: input.action,
    principal: input.principal,
    rollback_checkpoint: input.transition.rollback_checkpoint,
  };
  if (auditHead !== undefined) state.audit_head = auditHead;
  return state;
}
