import { createHash } from 'node:crypto';
import {
  serializeAuditRow,
  type AuditHead,
  type AuditRow,
  type CheckpointSource,
  type ControlAction,
  type LifecycleState,
} from '@tau/schemas';

/** A mutating control action, as it appears in an audit row. */
export type MutatingAction = Exclude<ControlAction, 'status'>;

/** Every mutating control action (for generators and checks). */
export const MUTATING_ACTIONS: readonly MutatingAction[] = ['pause', 'resume', 'cancel', 'rollback'];

/** One command in a generated history. */
export interface HistoryStep {
  readonly action: MutatingAction;
  /** The checkpoint path a `rollback` was given (ignored for other actions). */
  readonly rollbackCheckpoint?: string;
  /** What a `resume` restored from; null when it found no crash. */
  readonly recoverySource?: CheckpointSource | null;
}

/** Who ran the history's commands, and when the first one ran. */
export interface HistoryAuthor {
  readonly principal: string;
  readonly osUser: string;
  readonly host: string;
  readonly startUnixMs: number;
  readonly stepMs: number;
}

/** One chained audit row and the control state it leaves behind. */
export interface ChainedAuditLine {
  readonly row: AuditRow;
  /** The serialized row without its trailing newline (the bytes the next row hashes). */
  readonly line: string;
  readonly head: AuditHead;
  readonly lifecycle: LifecycleState;
  readonly rollbackCheckpoint: string | null;
}

const TARGET_LIFECYCLE: Record<MutatingAction, LifecycleState> = {
  pause: 'paused',
  resume: 'running',
  cancel: 'cancelled',
  rollback: 'rollback_requested',
};

/** sha256 hex of an audit line's bytes without its newline: the value `prev_sha256` and `audit_head` carry. */
export function sha256OfAuditLine(line: string | Buffer): string {
  return createHash('sha256').update(line).digest('hex');
}

/** The lifecycle state an action writes (REFERENCE.md, "Control actions"). */
export function targetLifecycleOf(action: MutatingAction): LifecycleState {
  return TARGET_LIFECYCLE[action];
}

/**
 * Turns a list of commands into the audit rows our CLI would have written, each
 * chained to the previous one (`tauRows`: as Tau's binary writes them, with
 * Tau's keys only: no prev_sha256, os_user or host). The harness computes
 * lifecycle and idempotency itself instead of asking @tau/recovery: fixtures
 * must not be produced by the code they are meant to test. A generator, so a
 * million-row log streams.
 */
export function* chainAuditRows(steps: Iterable<HistoryStep>, author: HistoryAuthor, { tauRows = false } = {}): Generator<ChainedAuditLine> {
  // A missing control state counts as running with no rollback checkpoint.
  let lifecycle: LifecycleState = 'running';
  let rollbackCheckpoint: string | null = null;
  let head: AuditHead = { row_count: 0, last_row_sha256: null };
  let index = 0;
  for (const step of steps) {
    const target = TARGET_LIFECYCLE[step.action];
    const nextRollback = step.action === 'rollback' ? (step.rollbackCheckpoint ?? 'policy-checkpoint.rollback.json') : null;
    const row: AuditRow = {
      schema_version: 1,
      timestamp_unix_ms: author.startUnixMs + index * author.stepMs,
      principal: author.principal,
      action: step.action,
      action_key: `control:rl:${step.action}`,
      lifecycle_state: target,
      idempotent: lifecycle === target && rollbackCheckpoint === nextRollback,
      rollback_checkpoint: nextRollback,
      recovery_checkpoint_source: step.action === 'resume' ? (step.recoverySource ?? null) : null,
      ...(tauRows
        ? {}
        : {
            ...(head.last_row_sha256 === null ? {} : { prev_sha256: head.last_row_sha256 }),
            os_user: author.osUser,
            host: author.host,
          }),
    };
    const line = serializeAuditRow(row).replace(/\n$/, '');
    head = { row_count: head.row_count + 1, last_row_sha256: sha256OfAuditLine(line) };
    lifecycle = target;
    rollbackCheckpoint = nextRollback;
    index += 1;
    yield { row, line, head, lifecycle, rollbackCheckpoint };
  }
}
