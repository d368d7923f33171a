import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTROL_AUDIT_FILE, FALLBACK_CHECKPOINT_FILE } from '@tau/schemas';
import fc from 'fast-check';
import { MUTATING_ACTIONS, targetLifecycleOf, type MutatingAction } from './audit-history.js';
import { checkAfterSuccess, completeLines, type InvariantViolation } from './crash-invariants.js';
import { OPERATOR_PRINCIPAL } from './rbac-policy-fixture.js';
import { writeScenario, type WrittenScenario } from './scenario-writer.js';
import { observeStateDir } from './state-dir-observation.js';
import { describeRunEnd, runTauPo, scenarioFlags, type TauPoRun } from './tau-po-process.js';
import type { TauPoBinary } from './tau-po-binary.js';

/** One command an operator process issues, after waiting `jitterMs`. */
export interface OperatorCommand {
  readonly action: MutatingAction;
  readonly jitterMs: number;
}

/** Exit status tau-po uses for "state directory is busy". */
export const BUSY_EXIT_CODE = 5;

/**
 * The commands of each operator (pure, reproducible from `seed`): `total`
 * random mutating commands dealt round-robin to `operators` operators.
 */
export function planOperatorCommands(seed: number, operators: number, total: number): OperatorCommand[][] {
  const commands = fc.sample(
    fc.record({ action: fc.constantFrom(...MUTATING_ACTIONS), jitterMs: fc.integer({ min: 0, max: 15 }) }),
    { seed, numRuns: total },
  );
  const plan: OperatorCommand[][] = Array.from({ length: operators }, () => []);
  commands.forEach((command, index) => plan[index % operators]?.push(command));
  return plan;
}

/** A check of the concurrency run that failed. */
export interface ConcurrencyViolation {
  readonly check: string;
  readonly detail: string;
}

/** What happened when the operators raced. */
export interface ConcurrencyResult {
  readonly seed: number;
  readonly operators: number;
  readonly commands: number;
  readonly succeeded: number;
  readonly busy: number;
  readonly rowsAdded: number;
  readonly wallMs: number;
  readonly violations: readonly ConcurrencyViolation[];
  readonly passed: boolean;
  /** The state dir, kept for inspection when a check failed. */
  readonly keptDir: string | null;
}

interface IssuedCommand {
  readonly action: MutatingAction;
  readonly run: TauPoRun;
}

/** The CLI arguments of one operator command against a scenario. */
export function cliCommandArgs(action: MutatingAction, scenario: WrittenScenario): string[] {
  const flags = scenarioFlags(scenario.stateDir, scenario.policyPath, OPERATOR_PRINCIPAL);
  return action === 'rollback' ? ['rollback', join(scenario.stateDir, FALLBACK_CHECKPOINT_FILE), ...flags] : [action, ...flags];
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function describeCounts(counts: Map<string, number>): string {
  return [...counts.entries()].sort().map(([key, count]) => `${key}=${count}`).join(' ');
}

interface LoggedRow {
  readonly action: string;
  readonly lifecycle_state: string;
  readonly rollback_checkpoint: string | null;
  readonly idempotent: boolean;
}

/**
 * Judges a finished race (pure): every command succeeded or was refused as
 * busy; the log gained exactly one row per success, with the same actions;
 * every new row's `idempotent` agrees with the row before it (a lost update
 * would misreport it); and the state dir passes the post-command invariants.
 */
export function judgeConcurrencyRun(issued: readonly IssuedCommand[], rowsBefore: readonly LoggedRow[], rowsAfter: readonly LoggedRow[], invariants: readonly InvariantViolation[]): ConcurrencyViolation[] {
  const violations: ConcurrencyViolation[] = [];
  for (const { action, run } of issued) {
    if (run.exitCode === 0) continue;
    if (run.exitCode === BUSY_EXIT_CODE && /busy/i.test(run.stderr)) continue;
    violations.push({ check: 'exit-code', detail: `${action}: ${describeRunEnd(run)}: ${run.stderr.trim().split('\n')[0] ?? ''}` });
  }
  const successes = issued.filter(({ run }) => run.exitCode === 0);
  const added = rowsAfter.slice(rowsBefore.length);
  if (added.length !== successes.length) {
    violations.push({ check: 'rows-match-successes', detail: `${successes.length} commands succeeded but the audit log gained ${added.length} rows` });
  }
  const succeededActions = describeCounts(countBy(successes, (command) => command.action));
  const loggedActions = describeCounts(countBy(added, (row) => row.action));
  if (succeededActions !== loggedActions) {
    violations.push({ check: 'rows-match-successes', detail: `succeeded: ${succeededActions}; logged: ${loggedActions}` });
  }
  for (let index = rowsBefore.length; index < rowsAfter.length; index += 1) {
    const row = rowsAfter[index] as LoggedRow;
    const previous = rowsAfter[index - 1];
    const priorLifecycle = previous?.lifecycle_state ?? 'running';
    const priorRollback = previous?.rollback_checkpoint ?? null;
    const expected = priorLifecycle === row.lifecycle_state && priorRollback === row.rollback_checkpoint;
    if (row.idempotent !== expected) {
      violations.push({ check: 'idempotency-consistent', detail: `audit row ${index + 1} (${row.action}) says idempotent=${row.idempotent} after a row in ${priorLifecycle}` });
    }
    const target = MUTATING_ACTIONS.find((action) => action === row.action);
    if (target === undefined || targetLifecycleOf(target) !== row.lifecycle_state) {
      violations.push({ check: 'idempotency-consistent', detail: `audit row ${index + 1}: action ${row.action} wrote lifecycle_state ${row.lifecycle_state}` });
    }
  }
  violations.push(...invariants.map((violation) => ({ check: violation.invariant, detail: violation.detail })));
  return violations;
}

function loggedRows(log: Buffer): LoggedRow[] {
  return completeLines(log)
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line.toString('utf8')) as LoggedRow);
}

/** Concurrency run options. */
export interface ConcurrencyOptions {
  readonly binary: TauPoBinary;
  readonly operators?: number;
  readonly commands?: number;
  readonly seed?: number;
}

/**
 * Starts `operators` concurrent operators (default 8), each running its share
 * of `commands` (default 200) tau-po processes one after another against one
 * `clean` state dir, then judges the result.
 */
export async function runConcurrency(options: ConcurrencyOptions): Promise<ConcurrencyResult> {
  const operators = options.operators ?? 8;
  const total = options.commands ?? 200;
  const seed = options.seed ?? 1;
  const started = Date.now();
  const root = mkdtempSync(join(tmpdir(), 'tau-po-concurrency-'));
  const scenario = writeScenario('clean', root);
  const before = readFileSync(join(scenario.stateDir, CONTROL_AUDIT_FILE));
  const issued: IssuedCommand[] = [];
  await Promise.all(
    planOperatorCommands(seed, operators, total).map(async (commands) => {
      for (const command of commands) {
        await sleep(command.jitterMs);
        issued.push({ action: command.action, run: await runTauPo(options.binary, cliCommandArgs(command.action, scenario)) });
      }
    }),
  );
  const observation = observeStateDir(scenario.stateDir);
  const rowsBefore = loggedRows(before);
  const rowsAfter = loggedRows(observation.auditLog);
  const violations = judgeConcurrencyRun(issued, rowsBefore, rowsAfter, checkAfterSuccess(before, observation));
  const succeeded = issued.filter(({ run }) => run.exitCode === 0).length;
  const passed = violations.length === 0;
  if (passed) rmSync(root, { recursive: true, force: true });
  return {
    seed,
    operators,
    commands: issued.length,
    succeeded,
    busy: issued.filter(({ run }) => run.exitCode === BUSY_EXIT_CODE).length,
    rowsAdded: rowsAfter.length - rowsBefore.length,
    wallMs: Date.now() - started,
    violations,
    passed,
    keptDir: passed ? null : scenario.stateDir,
  };
}
