import type { ControlState } from '@tau/schemas';
import { sha256OfAuditLine } from './audit-history.js';

/** What the invariant checks need to know about a state dir (gathered by `observeStateDir`). */
export interface StateDirObservation {
  /** Artifacts that exist but do not parse, with the reader's message chain. */
  readonly unreadableArtifacts: readonly { readonly file: string; readonly message: string }[];
  readonly controlState: ControlState | undefined;
  /** The audit log's bytes (empty when the file is absent). */
  readonly auditLog: Buffer;
  /** What @tau/audit-log's chain verification found wrong (empty: the chain verifies). */
  readonly chainProblems: readonly string[];
}

/** One broken invariant: which one, and what was seen. */
export interface InvariantViolation {
  readonly invariant:
    | 'artifacts-parse'
    | 'committed-rows-kept'
    | 'state-matches-log'
    | 'chain-verifies'
    | 'no-torn-tail'
    | 'next-command-recovers'
    | 'unchanged-on-failure'
    | 'failpoint-fired'
    | 'uncrashed-run-succeeds';
  readonly detail: string;
}

/** The log's bytes up to and including its last newline: the rows that were committed. */
export function committedPrefix(log: Buffer): Buffer {
  return log.subarray(0, log.lastIndexOf(0x0a) + 1);
}

/** Each complete line of the log, without its newline (blank lines included, as line numbers count them). */
export function completeLines(log: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let end = log.indexOf(0x0a, start); end !== -1; end = log.indexOf(0x0a, start)) {
    lines.push(log.subarray(start, end));
    start = end + 1;
  }
  return lines;
}

/** Unterminated bytes at the end of the log (a torn append), or an empty buffer. */
export function tornTail(log: Buffer): Buffer {
  return log.subarray(log.lastIndexOf(0x0a) + 1);
}

/** Every artifact that exists parses; the audit log may end in a torn line and nothing worse. */
export function checkArtifactsParse(observation: StateDirObservation): InvariantViolation[] {
  return observation.unreadableArtifacts.map(({ file, message }) => ({ invariant: 'artifacts-parse', detail: `${file}: ${message}` }));
}

/** No row that was complete before the crash is lost or changed: the old committed bytes prefix the new log. */
export function checkCommittedRowsKept(before: Buffer, after: Buffer): InvariantViolation[] {
  const committed = committedPrefix(before);
  if (after.length >= committed.length && after.subarray(0, committed.length).equals(committed)) return [];
  const lines = completeLines(committed);
  const afterLines = completeLines(after);
  const firstDifferent = lines.findIndex((line, index) => !afterLines[index]?.equals(line));
  return [
    {
      invariant: 'committed-rows-kept',
      detail: `committed audit line ${firstDifferent + 1} of ${lines.length} was lost or changed (log now has ${afterLines.length} complete lines)`,
    },
  ];
}

function lifecycleOfLine(line: Buffer): string | undefined {
  try {
    const row = JSON.parse(line.toString('utf8')) as { lifecycle_state?: unknown };
    return typeof row.lifecycle_state === 'string' ? row.lifecycle_state : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The control state is the state some prefix of the log implies, so that
 * reconciling (rolling forward from the log) yields the state the whole log
 * implies. `exact` (after a completed command): that prefix is the whole log.
 * After a crash the state may trail the log (the audit row is the commit point
 * and the state is written after it) but never lead it.
 */
export function checkStateMatchesLog(observation: StateDirObservation, options: { exact: boolean }): InvariantViolation[] {
  const rows = completeLines(observation.auditLog).filter((line) => line.length > 0);
  const state = observation.controlState;
  const violation = (detail: string): InvariantViolation[] => [{ invariant: 'state-matches-log', detail }];
  if (state === undefined) {
    return rows.length === 0 || !options.exact ? [] : violation(`control state is missing but the audit log holds ${rows.length} rows`);
  }
  const head = state.audit_head;
  if (head === undefined || head === null) return violation('control state records no audit_head');
  if (head.row_count > rows.length) {
    return violation(`control state records ${head.row_count} audit rows but the log holds ${rows.length}: the state is ahead of its commit point`);
  }
  if (options.exact && head.row_count !== rows.length) {
    return violation(`control state records ${head.row_count} audit rows but the log holds ${rows.length}`);
  }
  if (head.row_count === 0) return state.lifecycle_state === 'running' ? [] : violation(`empty audit head but lifecycle_state=${state.lifecycle_state}`);
  const headRow = rows[head.row_count - 1] as Buffer;
  const actualHash = sha256OfAuditLine(headRow);
  if (actualHash !== head.last_row_sha256) {
    return violation(`control state's audit_head (row ${head.row_count}) does not hash audit row ${head.row_count}`);
  }
  const rowLifecycle = lifecycleOfLine(headRow);
  if (rowLifecycle !== state.lifecycle_state) {
    return violation(`control state lifecycle_state=${state.lifecycle_state} but audit row ${head.row_count} says ${String(rowLifecycle)}`);
  }
  return [];
}

/** The audit chain verifies (as @tau/audit-log judges it). */
export function checkChainVerifies(observation: StateDirObservation): InvariantViolation[] {
  return observation.chainProblems.map((detail) => ({ invariant: 'chain-verifies', detail }));
}

/** After a completed command the log ends in a newline. */
export function checkNoTornTail(observation: StateDirObservation): InvariantViolation[] {
  const tail = tornTail(observation.auditLog);
  return tail.length === 0 ? [] : [{ invariant: 'no-torn-tail', detail: `audit log ends in ${tail.length} unterminated bytes` }];
}

/** Every invariant that must hold right after a crash. */
export function checkAfterCrash(before: Buffer, observation: StateDirObservation): InvariantViolation[] {
  return [
    ...checkArtifactsParse(observation),
    ...checkCommittedRowsKept(before, observation.auditLog),
    ...checkStateMatchesLog(observation, { exact: false }),
    ...checkChainVerifies(observation),
  ];
}

/** Every invariant that must hold after a command completed successfully. */
export function checkAfterSuccess(before: Buffer, observation: StateDirObservation): InvariantViolation[] {
  return [
    ...checkArtifactsParse(observation),
    ...checkCommittedRowsKept(before, observation.auditLog),
    ...checkStateMatchesLog(observation, { exact: true }),
    ...checkChainVerifies(observation),
    ...checkNoTornTail(observation),
  ];
}

/** The message a fail-closed resume starts with (REFERENCE.md, "Resume"). */
export const GUARDRAIL_PREFIX = 'resume recovery guardrail';

/** How the command after a crash ended, reduced to what the invariants need. */
export interface CommandEnd {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stderr: string;
}

/** The next command either succeeded or failed closed with the documented guardrail error (exit 4). */
export function checkNextCommandRecovers(end: CommandEnd): InvariantViolation[] {
  if (end.exitCode === 0) return [];
  if (end.exitCode === 4 && end.stderr.trimStart().startsWith(GUARDRAIL_PREFIX)) return [];
  const how = end.signal === null ? `exit ${end.exitCode}` : `signal ${end.signal}`;
  return [{ invariant: 'next-command-recovers', detail: `${how}: ${end.stderr.trim().split('\n')[0] ?? ''}` }];
}
