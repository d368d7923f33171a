// The pure half of replay: folds row fields, in log order, into the recovery
// metadata. No I/O, so the fast path and the simple path share it and its
// rules can be tested on plain data.
import type { AuditHead, AuditReplayRow, LifecycleState } from '@tau/schemas';
import type { AuditRowFields } from './audit-row-fields.js';
import type { AuditTornTail } from './audit-log-lines.js';
import type { AuditChainFold } from './audit-chain-fold.js';
import { AuditActionList } from './audit-action-list.js';
import type { AuditLinkedRun } from './audit-range-summary.js';

/** What the lifecycle becomes after a mutating action (REFERENCE.md); undefined for any other action. */
export function lifecycleAfterAction(action: string): LifecycleState | undefined {
  switch (action) {
    case 'pause':
      return 'paused';
    case 'resume':
      return 'running';
    case 'cancel':
      return 'cancelled';
    case 'rollback':
      return 'rollback_requested';
    default:
      return undefined;
  }
}

/** More warnings than this are counted, not listed (a pathological log must not flood diagnostics). */
export const MAX_LISTED_WARNINGS = 100;

/** The last row whose action changes the lifecycle, parsed in full (for rolling control state forward). */
export interface AuditMutatingRow {
  line: number;
  /** Byte offset of its first byte: lets reconciliation place it against our head file. */
  offset: number;
  row: AuditReplayRow;
}

/** How to replay an audit log. */
export interface AuditReplayOptions {
  /**
   * Keep every row's action, in order, in `replayed_actions` (default true).
   * Only resume's recovery report lists them; every other command needs the
   * count alone, and without the list a replay holds nothing per row (a
   * million rows: about 1 MB of codes less, see `AuditActionList`).
   */
  collectActions?: boolean;
  /**
   * Also check the hash chain in the same pass: every row's facts are fed to
   * this fold (hashing each row), and the caller calls its `finish`. Absent:
   * only the last row is hashed.
   */
  chainFold?: AuditChainFold;
}

/** The recovery metadata one replay of an audit log produces. Same bytes, same result. */
export interface AuditReplay {
  /**
   * Every row's action, in order (Tau's `replayed_actions`); null when
   * replayed with `collectActions: false`. Compact: a byte per row (the
   * recovery report writer iterates it; `toJSON()` gives the plain array).
   */
  replayed_actions: AuditActionList | null;
  /** Number of rows (Tau's `replayed_audit_events`). */
  event_count: number;
  /** Rows per action, keys in order of first appearance. */
  action_counts: Record<string, number>;
  /** The lifecycle the last mutating row leaves (its `lifecycle_state`, else derived from its action); null when none. */
  implied_lifecycle_state: LifecycleState | null;
  last_mutating_row: AuditMutatingRow | null;
  /** `timestamp_unix_ms` of the first and of the last row that has one. */
  first_timestamp_ms: number | null;
  last_timestamp_ms: number | null;
  /** Distinct principals, in order of first appearance. */
  principals: string[];
  /** Timestamps going backwards, lifecycle states that contradict the action; at most 100 listed. */
  warnings: string[];
  /** An unterminated final line (crash mid-append), not counted as a row. */
  torn_tail: AuditTornTail | null;
  /** Complete rows and the SHA-256 of the last one (what `control-state.json` records). */
  head: AuditHead;
}

/** True for the actions that write a lifecycle state (all but `status`). */
export function isMutatingAction(action: string): boolean {
  return lifecycleAfterAction(action) !== undefined;
}

/** Accumulates rows in log order; `finish` produces the replay. */
export class AuditReplayFold {
  private readonly actions: AuditActionList | null;
  private rowCount = 0;
  private readonly counts = new Map<string, number>();
  private readonly principalSet = new Set<string>();
  private lastPrincipal: string | undefined;
  private readonly warnings: string[] = [];
  private unlistedWarnings = 0;
  private impliedLifecycle: LifecycleState | null = null;
  private firstTimestamp: number | null = null;
  private lastTimestamp: number | null = null;
  private lastTimestampLine = 0;

  /** `collectActions`: keep every row's action for `replayed_actions` (see `AuditReplayOptions`). */
  constructor(collectActions = true) {
    this.actions = collectActions ? new AuditActionList() : null;
  }

  /** Adds one row; returns true when the row is mutating (the caller keeps its position). */
  addRow(line: number, fields: AuditRowFields): boolean {
    const { action } = fields;
    this.actions?.push(action);
    this.rowCount += 1;
    this.counts.set(action, (this.counts.get(action) ?? 0) + 1);
    const { principal } = fields;
    // Rows repeat their principal in long runs; skip the set lookup for a repeat.
    if (principal !== undefined && principal !== this.lastPrincipal) {
      this.principalSet.add(principal);
      this.lastPrincipal = principal;
    }
    const timestamp = fields.timestamp_unix_ms;
    if (timestamp !== undefined) {
      if (this.lastTimestamp === null) {
        this.firstTimestamp = timestamp;
      } else if (timestamp < this.lastTimestamp) {
        this.warn(
          `audit line ${line}: timestamp_unix_ms ${timestamp} is earlier than ${this.lastTimestamp} at line ${this.lastTimestampLine}`,
        );
      }
      this.lastTimestamp = timestamp;
      this.lastTimestampLine = line;
    }
    const derived = lifecycleAfterAction(action);
    if (derived === undefined) return false;
    const recorded = fields.lifecycle_state;
    if (recorded !== undefined && recorded !== derived) {
      this.warn(`audit line ${line}: lifecycle_state ${recorded} does not follow from action ${action} (expected ${derived})`);
    }
    this.impliedLifecycle = recorded ?? derived;
    return true;
  }

  /**
   * Adds a run of rows summarized elsewhere (a range scanned in a worker):
   * the same as adding each of them, given what a clean run guarantees (it
   * follows a row with a timestamp, and raises no warning).
   */
  addLinkedRun(run: AuditLinkedRun): void {
    if (run.actions !== null) this.actions?.appendCodes(run.actions);
    this.rowCount += run.rows;
    for (const [action, count] of run.actionCounts) this.counts.set(action, (this.counts.get(action) ?? 0) + count);
    for (const principal of run.principals) this.principalSet.add(principal);
    this.lastPrincipal = undefined;
    this.firstTimestamp ??= run.lastTimestamp;
    this.lastTimestamp = run.lastTimestamp;
    this.lastTimestampLine = run.lastTimestampLine;
    if (run.impliedLifecycle !== null) this.impliedLifecycle = run.impliedLifecycle;
  }

  /** The replay, given what only the executor knows (tail, last row hash, last mutating row). */
  finish(extra: {
    torn_tail: AuditTornTail | null;
    last_row_sha256: string | null;
    last_mutating_row: AuditMutatingRow | null;
  }): AuditReplay {
    const warnings = [...this.warnings];
    if (this.unlistedWarnings > 0) warnings.push(`${this.unlistedWarnings} more warnings not listed`);
    return {
      replayed_actions: this.actions,
      event_count: this.rowCount,
      action_counts: Object.fromEntries(this.counts),
      implied_lifecycle_state: this.impliedLifecycle,
      last_mutating_row: extra.last_mutating_row,
      first_timestamp_ms: this.firstTimestamp,
      last_timestamp_ms: this.lastTimestamp,
      principals: [...this.principalSet],
      warnings,
      torn_tail: extra.torn_tail,
      head: { row_count: this.rowCount, last_row_sha256: extra.last_row_sha256 },
    };
  }

  private warn(message: string): void {
    if (this.warnings.length < MAX_LISTED_WARNINGS) this.warnings.push(message);
    else this.unlistedWarnings += 1;
  }
}
