import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { generateFuzzCases, mutateFileBytes, FUZZ_ARTIFACTS, MUTATION_KINDS, type FuzzCase } from './fuzz-mutations.js';
import { OPERATOR_PRINCIPAL } from './rbac-policy-fixture.js';
import { SCENARIO_POLICY_FILE, SCENARIO_STATE_SUBDIR } from './scenario-catalog.js';
import { writeScenario } from './scenario-writer.js';
import { diffSnapshots, snapshotDirectory } from './state-dir-snapshot.js';
import { mapWithParallelism } from './task-pool.js';
import { describeRunEnd, runTauPo, scenarioFlags } from './tau-po-process.js';
import type { TauPoBinary } from './tau-po-binary.js';

/** The commands each corrupted state dir is given. */
export const FUZZ_COMMANDS = ['status', 'pause', 'resume', 'doctor', 'audit verify'] as const;
/** A command the fuzzer runs. */
export type FuzzCommand = (typeof FUZZ_COMMANDS)[number];

/** Commands that must never change a file, whatever their exit status. */
const READ_ONLY_COMMANDS: ReadonlySet<FuzzCommand> = new Set(['status', 'doctor', 'audit verify']);

/** Exit statuses a command may end with on bad input: 0 ok, 1 failure, 3 denied, 4 guardrail, 5 busy (2, usage, would mean the harness erred). */
export const DOCUMENTED_EXIT_CODES: ReadonlySet<number> = new Set([0, 1, 3, 4, 5]);

/** How one fuzz run ended, reduced to what the judge needs. */
export interface FuzzRunEnd {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A broken promise of one (case, command) run. */
export interface FuzzViolation {
  readonly caseId: number;
  readonly artifact: string;
  readonly kind: string;
  readonly command: FuzzCommand;
  readonly check: 'exit-code' | 'no-stack-trace' | 'one-line-error' | 'names-file' | 'unchanged-unless-succeeded';
  readonly detail: string;
  readonly keptDir: string | null;
}

/**
 * Tau's chain for an RBAC policy that parses but fails validation is its bare
 * message under the authorize line, with no path (REFERENCE.md, "RBAC policy
 * file"); we match Tau's chain exactly, so that error cannot name the file.
 */
const TAU_BARE_POLICY_VALIDATION =
  /^failed to authorize prompt-optimization lifecycle control action '[^']+': (unsupported rbac schema version|rbac binding|duplicate rbac principal binding|rbac role)/;

function isTauBarePolicyValidation(artifactName: string, firstLine: string): boolean {
  return artifactName === 'rbac.json' && TAU_BARE_POLICY_VALIDATION.test(firstLine);
}

const STACK_FRAME = /^\s+at .+(?:\(.*:\d+:\d+\)|:\d+:\d+)$/m;

/**
 * Judges one run against a corrupted dir (pure): a documented exit status, no
 * stack trace, a one-line error that names the corrupted file, and no file
 * changed unless the command succeeded (never, for read-only commands).
 */
export function judgeFuzzRun(fuzzCase: FuzzCase, command: FuzzCommand, end: FuzzRunEnd, changedPaths: readonly string[]): Omit<FuzzViolation, 'keptDir'>[] {
  const found: Omit<FuzzViolation, 'keptDir'>[] = [];
  const add = (check: FuzzViolation['check'], detail: string) => found.push({ caseId: fuzzCase.id, artifact: fuzzCase.artifact, kind: fuzzCase.kind, command, check, detail });
  const firstLine = end.stderr.trim().split('\n')[0] ?? '';
  if (end.exitCode === null || !DOCUMENTED_EXIT_CODES.has(end.exitCode)) {
    add('exit-code', `${end.signal === null ? `exit ${end.exitCode}` : `signal ${end.signal}`}: ${firstLine}`);
  }
  if (STACK_FRAME.test(end.stderr) || end.stderr.includes('node:internal')) add('no-stack-trace', firstLine);
  const failed = end.exitCode !== 0;
  if (failed) {
    const stderrLines = end.stderr.trim().split('\n').filter((line) => line.trim() !== '');
    if (stderrLines.length > 1) add('one-line-error', `${stderrLines.length} lines on stderr: ${firstLine}`);
    const name = basename(fuzzCase.artifact);
    const namesFile = end.stderr.includes(name) || end.stdout.includes(name) || isTauBarePolicyValidation(name, firstLine);
    if (!namesFile) add('names-file', `exit ${end.exitCode} without naming ${name}: ${firstLine}`);
  }
  if (changedPaths.length > 0 && (failed || READ_ONLY_COMMANDS.has(command))) {
    add('unchanged-unless-succeeded', `${failed ? `exit ${end.exitCode}` : `read-only ${command}`} changed ${changedPaths.join(', ')}`);
  }
  return found;
}

/** Applies a case's corruption to the files under `root` (a scenario copy). */
export function applyFuzzCase(root: string, fuzzCase: FuzzCase): void {
  const path = join(root, fuzzCase.artifact);
  if (fuzzCase.kind === 'directory') {
    rmSync(path, { force: true });
    mkdirSync(path);
    return;
  }
  if (fuzzCase.kind === 'symlink' || fuzzCase.kind === 'dangling-symlink') {
    // A valid copy outside the state dir, or nothing at all.
    const dangling = fuzzCase.kind === 'dangling-symlink';
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(elsewhere, { recursive: true });
    const target = join(elsewhere, dangling ? `missing-${basename(path)}` : basename(path));
    if (dangling) rmSync(path, { force: true });
    else renameSync(path, target);
    symlinkSync(target, path);
    return;
  }
  writeFileSync(path, mutateFileBytes(readFileSync(path), fuzzCase.kind, fuzzCase.parameters, path.endsWith('.jsonl')));
}

function commandArgs(command: FuzzCommand, root: string): string[] {
  const stateDir = join(root, SCENARIO_STATE_SUBDIR);
  if (command === 'audit verify') return ['audit', 'verify', '--state-dir', stateDir];
  return [command, ...scenarioFlags(stateDir, join(root, SCENARIO_POLICY_FILE), OPERATOR_PRINCIPAL)];
}

/** Outcome counts for one artifact or mutation kind. */
export type OutcomeCounts = Record<string, number>;

/** What the fuzzer found. */
export interface FuzzResult {
  readonly seed: number;
  readonly cases: number;
  readonly runs: number;
  /** artifact -> outcome (`exit 0`, `exit 1`, ...) -> runs. */
  readonly byArtifact: Record<string, OutcomeCounts>;
  /** mutation kind -> outcome -> runs. */
  readonly byKind: Record<string, OutcomeCounts>;
  readonly violations: readonly FuzzViolation[];
  readonly wallMs: number;
  readonly passed: boolean;
}

/** Fuzz options. */
export interface FuzzOptions {
  readonly binary: TauPoBinary;
  readonly seed?: number;
  /** Corrupted state dirs to try (default 70: every artifact x kind once). */
  readonly cases?: number;
  readonly parallelism?: number;
}

/** Default case count: the whole artifact x kind grid once. */
export const DEFAULT_FUZZ_CASES = FUZZ_ARTIFACTS.length * MUTATION_KINDS.length;

/**
 * Builds a template (the `clean` scenario after one real `resume`, so every
 * artifact exists and was written by the CLI), then for each generated case and
 * each command: copies it, corrupts one file, runs the command, and judges.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzResult> {
  const started = Date.now();
  const seed = options.seed ?? 7;
  const workDir = mkdtempSync(join(tmpdir(), 'tau-po-fuzz-'));
  const template = writeScenario('clean', join(workDir, 'template'));
  const prepared = await runTauPo(options.binary, ['resume', ...scenarioFlags(template.stateDir, template.policyPath, OPERATOR_PRINCIPAL)]);
  if (prepared.exitCode !== 0) throw new Error(`fuzz template: resume on the clean scenario failed (${describeRunEnd(prepared)}): ${prepared.stderr.trim()}`);
  const cases = generateFuzzCases(seed, options.cases ?? DEFAULT_FUZZ_CASES);
  const runs = cases.flatMap((fuzzCase) => FUZZ_COMMANDS.map((command) => ({ fuzzCase, command })));
  const byArtifact: Record<string, OutcomeCounts> = {};
  const byKind: Record<string, OutcomeCounts> = {};
  const violations: FuzzViolation[] = [];
  await mapWithParallelism(runs, options.parallelism ?? 2, async ({ fuzzCase, command }) => {
    const root = join(workDir, `case-${fuzzCase.id}-${command.replace(' ', '-')}`);
    cpSync(template.root, root, { recursive: true });
    applyFuzzCase(root, fuzzCase);
    const before = snapshotDirectory(root);
    const run = await runTauPo(options.binary, commandArgs(command, root));
    const diff = diffSnapshots(before, snapshotDirectory(root));
    const found = judgeFuzzRun(fuzzCase, command, run, [...diff.added, ...diff.removed, ...diff.changed]);
    const outcome = run.exitCode === null ? `signal ${run.signal}` : `exit ${run.exitCode}`;
    for (const [table, key] of [[byArtifact, fuzzCase.artifact], [byKind, fuzzCase.kind]] as const) {
      const counts = (table[key] ??= {});
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    }
    violations.push(...found.map((violation) => ({ ...violation, keptDir: root })));
    if (found.length === 0) rmSync(root, { recursive: true, force: true });
  });
  if (violations.length === 0) rmSync(workDir, { recursive: true, force: true });
  violations.sort((a, b) => a.caseId - b.caseId || a.command.localeCompare(b.command));
  return { seed, cases: cases.length, runs: runs.length, byArtifact, byKind, violations, wallMs: Date.now() - started, passed: violations.length === 0 };
}

/** The outcome tables as text: one row per artifact and per mutation kind. */
export function renderFuzzSummary(result: FuzzResult): string {
  const outcomes = [...new Set(Object.values(result.byArtifact).flatMap((counts) => Object.keys(counts)))].sort();
  const table = (title: string, rows: Record<string, OutcomeCounts>) => {
    const width = Math.max(title.length, ...Object.keys(rows).map((key) => key.length));
    const header = `${title.padEnd(width)}  ${outcomes.map((outcome) => outcome.padStart(8)).join(' ')}`;
    const body = Object.entries(rows)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, counts]) => `${key.padEnd(width)}  ${outcomes.map((outcome) => String(counts[outcome] ?? 0).padStart(8)).join(' ')}`);
    return [header, ...body].join('\n');
  };
  const lines = [
    `fuzz: seed ${result.seed}, ${result.cases} corrupted state dirs x ${FUZZ_COMMANDS.length} commands = ${result.runs} runs, ${(result.wallMs / 1000).toFixed(1)} s`,
    '',
    table('artifact', result.byArtifact),
    '',
    table('mutation', result.byKind),
    '',
    `${result.violations.length} violations`,
    ...result.violations.map((violation) => `  case ${violation.caseId} ${violation.kind} ${violation.artifact} / ${violation.command}: ${violation.check}: ${violation.detail}`),
  ];
  return lines.join('\n');
}
