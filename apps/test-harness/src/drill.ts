import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { CONTROL_AUDIT_FILE } from '@tau/schemas';
import { checkAfterCrash, checkAfterSuccess, checkNextCommandRecovers, type InvariantViolation } from './crash-invariants.js';
import { drillCases, drillCommandArgs, FAILPOINT_KINDS, followUpArgs, type DrillCase, type DrillCommand, type FailpointKind } from './drill-plan.js';
import { parseFailpointTrace, type TracedOperation } from './failpoint-trace.js';
import { writeScenario, type WrittenScenario } from './scenario-writer.js';
import { diffSnapshots, snapshotDirectory } from './state-dir-snapshot.js';
import { observeStateDir } from './state-dir-observation.js';
import { mapWithParallelism } from './task-pool.js';
import { describeRunEnd, runTauPo } from './tau-po-process.js';
import type { TauPoBinary } from './tau-po-binary.js';

/** One durable operation of a case, as counted by the traced run. */
export interface DrillOperation {
  readonly index: number;
  readonly kind: string;
  /** The file it touched, relative to the state dir. */
  readonly file: string;
}

/** The traced, uncrashed run of one case. */
export interface DrillCaseResult extends DrillCase {
  readonly operations: readonly DrillOperation[];
  /** Problems with the uncrashed run itself (it must succeed and leave a consistent dir). */
  readonly baselineViolations: readonly InvariantViolation[];
}

/** One cell of the matrix: a case crashed at one operation with one failpoint kind. */
export interface DrillCell extends DrillCase {
  readonly operation: number;
  readonly operationKind: string;
  readonly operationFile: string;
  readonly failpoint: FailpointKind;
  readonly passed: boolean;
  readonly violations: readonly InvariantViolation[];
  /** How the crashed command and the follow-up `resume` ended. */
  readonly crashedRunEnd: string;
  readonly followUpEnd: string;
  /** Kept for inspection when the cell failed. */
  readonly keptDir: string | null;
  /** Temp files still in the state dir after the follow-up (informational: a later command sweeps them). */
  readonly leftoverTempFiles: readonly string[];
}

/** The whole drill. */
export interface DrillResult {
  readonly cli: string;
  readonly startedAt: string;
  readonly wallMs: number;
  readonly cases: readonly DrillCaseResult[];
  readonly cells: readonly DrillCell[];
  readonly passed: number;
  readonly failed: number;
}

/** Drill options. */
export interface DrillOptions {
  readonly binary: TauPoBinary;
  /** Children run at once (default 2: this machine's cores). */
  readonly parallelism?: number;
  /** Restrict to these commands (default all). */
  readonly commands?: readonly DrillCommand[];
  /** Run exactly these cases instead of the plan's. */
  readonly cases?: readonly DrillCase[];
  /** Where per-cell state dirs go (default a new temp dir, removed unless a cell fails). */
  readonly workDir?: string;
  /** Called after each cell, for progress output. */
  readonly onCell?: (cell: DrillCell) => void;
}

function readAuditLog(scenario: WrittenScenario): Buffer {
  try {
    return readFileSync(join(scenario.stateDir, CONTROL_AUDIT_FILE));
  } catch {
    return Buffer.alloc(0);
  }
}

/**
 * A traced path as the matrix shows it: relative to the state dir, with the
 * per-run parts of temp and quarantine names (pid, random, time) starred so
 * the matrix reads the same on every run.
 */
export function displayName(stateDir: string, path: string): string {
  const relativePath = relative(stateDir, path);
  if (relativePath === '') return '(state dir)';
  return (relativePath.startsWith('..') ? basename(path) : relativePath).replace(/\.tmp-\d+-[0-9a-f]+$/, '.tmp-*').replace(/\.torn-\d+/, '.torn-*');
}

async function runCase(options: DrillOptions, workDir: string, drillCase: DrillCase, caseIndex: number): Promise<DrillCaseResult> {
  const root = join(workDir, `case-${caseIndex}-baseline`);
  const scenario = writeScenario(drillCase.scenario, root);
  const before = readAuditLog(scenario);
  const tracePath = join(workDir, `case-${caseIndex}.trace`);
  const run = await runTauPo(options.binary, drillCommandArgs(drillCase.command, scenario), { env: { TAU_PO_FAILPOINT_TRACE: tracePath } });
  const violations: InvariantViolation[] = [];
  let operations: DrillOperation[] = [];
  if (run.exitCode !== 0) {
    violations.push({ invariant: 'uncrashed-run-succeeds', detail: `${describeRunEnd(run)}: ${run.stderr.trim()}` });
  } else {
    violations.push(...checkAfterSuccess(before, observeStateDir(scenario.stateDir)));
    let traced: TracedOperation[] = [];
    try {
      traced = parseFailpointTrace(readFileSync(tracePath, 'utf8'));
    } catch (error) {
      violations.push({ invariant: 'failpoint-fired', detail: `no usable failpoint trace: ${(error as Error).message}` });
    }
    if (traced.length === 0) violations.push({ invariant: 'failpoint-fired', detail: 'the command traced no durable operations' });
    operations = traced.map((operation) => ({ index: operation.index, kind: operation.kind, file: displayName(scenario.stateDir, operation.path) }));
  }
  if (violations.length === 0) rmSync(root, { recursive: true, force: true });
  return { ...drillCase, operations, baselineViolations: violations };
}

interface CellPlan {
  readonly drillCase: DrillCaseResult;
  readonly caseIndex: number;
  readonly operation: DrillOperation;
  readonly failpoint: FailpointKind;
}

async function runCell(options: DrillOptions, workDir: string, plan: CellPlan): Promise<DrillCell> {
  const { drillCase, operation, failpoint } = plan;
  const root = join(workDir, `case-${plan.caseIndex}-${failpoint}-${operation.index}`);
  const scenario = writeScenario(drillCase.scenario, root);
  const before = readAuditLog(scenario);
  const crashed = await runTauPo(options.binary, drillCommandArgs(drillCase.command, scenario), {
    env: { TAU_PO_FAILPOINT: `${failpoint}@${operation.index}` },
  });
  const violations: InvariantViolation[] = [];
  if (crashed.signal !== 'SIGKILL' || crashed.timedOut) {
    violations.push({ invariant: 'failpoint-fired', detail: `expected a SIGKILL at operation ${operation.index}, got ${describeRunEnd(crashed)}: ${crashed.stderr.trim()}` });
  }
  const afterCrash = observeStateDir(scenario.stateDir);
  violations.push(...checkAfterCrash(before, afterCrash));
  const snapshotAfterCrash = snapshotDirectory(scenario.stateDir);
  const followUp = await runTauPo(options.binary, followUpArgs(scenario));
  violations.push(...checkNextCommandRecovers(followUp));
  if (followUp.exitCode === 0) {
    violations.push(...checkAfterSuccess(afterCrash.auditLog, observeStateDir(scenario.stateDir)));
  } else if (followUp.exitCode === 4) {
    const diff = diffSnapshots(snapshotAfterCrash, snapshotDirectory(scenario.stateDir));
    const touched = [...diff.added, ...diff.removed, ...diff.changed];
    if (touched.length > 0) violations.push({ invariant: 'unchanged-on-failure', detail: `fail-closed resume touched ${touched.join(', ')}` });
  }
  const leftoverTempFiles = readdirSync(scenario.stateDir).filter((name) => /\.tmp-\d+-/.test(name));
  const passed = violations.length === 0;
  if (passed) rmSync(root, { recursive: true, force: true });
  return {
    command: drillCase.command,
    scenario: drillCase.scenario,
    operation: operation.index,
    operationKind: operation.kind,
    operationFile: operation.file,
    failpoint,
    passed,
    violations,
    crashedRunEnd: describeRunEnd(crashed),
    followUpEnd: describeRunEnd(followUp),
    keptDir: passed ? null : root,
    leftoverTempFiles,
  };
}

/**
 * Runs the crash drill: for every (command, scenario) case, count the
 * command's durable operations with a traced run, then for every operation N
 * run it with `crash@N` and `torn@N` and check the invariants right after the
 * kill and again after the follow-up `resume`.
 */
export async function runDrill(options: DrillOptions): Promise<DrillResult> {
  const started = Date.now();
  const parallelism = options.parallelism ?? 2;
  const ownWorkDir = options.workDir === undefined;
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'tau-po-drill-'));
  mkdirSync(workDir, { recursive: true });
  const cases = options.cases ?? drillCases(options.commands);
  const caseResults = await mapWithParallelism(cases, parallelism, (drillCase, index) => runCase(options, workDir, drillCase, index));
  const plans: CellPlan[] = caseResults.flatMap((drillCase, caseIndex) =>
    drillCase.operations.flatMap((operation) => FAILPOINT_KINDS.map((failpoint) => ({ drillCase, caseIndex, operation, failpoint }))),
  );
  const cells = await mapWithParallelism(plans, parallelism, async (plan) => {
    const cell = await runCell(options, workDir, plan);
    options.onCell?.(cell);
    return cell;
  });
  const failedCases = caseResults.filter((result) => result.baselineViolations.length > 0).length;
  const passed = cells.filter((cell) => cell.passed).length;
  const failed = cells.length - passed + failedCases;
  if (ownWorkDir && failed === 0) rmSync(workDir, { recursive: true, force: true });
  return {
    cli: options.binary.path,
    startedAt: new Date(started).toISOString(),
    wallMs: Date.now() - started,
    cases: caseResults,
    cells,
    passed,
    failed,
  };
}
