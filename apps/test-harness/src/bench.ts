import { closeSync, existsSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRIMARY_CHECKPOINT_FILE, CONTROL_AUDIT_FILE, RECOVERY_REPORT_FILE } from '@tau/schemas';
import { formatByteSize } from './byte-size.js';
import { median, measureProcess, type ProcessMeasurement } from './process-measurement.js';
import { OPERATOR_PRINCIPAL } from './rbac-policy-fixture.js';
import { writeScenario, type WrittenScenario } from './scenario-writer.js';
import { captureStateDirRestorePoint, restoreStateDir } from './state-dir-restore-point.js';
import { scenarioFlags } from './tau-po-process.js';
import type { TauPoBinary } from './tau-po-binary.js';

/** One row of the benchmark table. */
export interface BenchRow {
  readonly measurement: string;
  readonly command: string;
  /** Input size shown in the table (rows or bytes), or empty. */
  readonly input: string;
  readonly wallMs: number;
  readonly peakRssKb: number | null;
  readonly exitCode: number | null;
  readonly note: string;
}

/** Bench options. */
export interface BenchOptions {
  readonly binary: TauPoBinary;
  /** Cold-start repetitions (default 20; the median is reported). */
  readonly coldStartRuns?: number;
  /** Rows of the replay benchmark (default 1,000,000). */
  readonly replayRows?: number;
  /** Checkpoint sizes in bytes (default 300 MB and 1 GB). */
  readonly checkpointBytes?: readonly number[];
  /** Called with each row as it is measured. */
  readonly onRow?: (row: BenchRow) => void;
}

function tauPo(binary: TauPoBinary, args: readonly string[]): [string, string[]] {
  return [binary.command, [...binary.prefixArgs, ...args]];
}

function flagsOf(scenario: WrittenScenario): string[] {
  return scenarioFlags(scenario.stateDir, scenario.policyPath, OPERATOR_PRINCIPAL);
}

async function medianOf(runs: number, measure: () => Promise<ProcessMeasurement>): Promise<ProcessMeasurement & { failures: number }> {
  const all: ProcessMeasurement[] = [];
  for (let index = 0; index < runs; index += 1) all.push(await measure());
  const wallMs = median(all.map((run) => run.wallMs));
  const rss = all.map((run) => run.peakRssKb).filter((value): value is number => value !== null);
  return {
    exitCode: all.find((run) => run.exitCode !== 0)?.exitCode ?? 0,
    wallMs,
    peakRssKb: rss.length === 0 ? null : median(rss),
    stderr: all.find((run) => run.exitCode !== 0)?.stderr ?? '',
    failures: all.filter((run) => run.exitCode !== 0).length,
  };
}

function reportSize(stateDir: string): string {
  const path = join(stateDir, RECOVERY_REPORT_FILE);
  return existsSync(path) ? formatByteSize(statSync(path).size) : 'missing';
}

function row(measurement: string, command: string, input: string, result: ProcessMeasurement, note = ''): BenchRow {
  const failure = result.exitCode === 0 ? '' : `FAILED: ${result.stderr.trim().split('\n')[0] ?? ''}`;
  return { measurement, command, input, wallMs: result.wallMs, peakRssKb: result.peakRssKb, exitCode: result.exitCode, note: [note, failure].filter(Boolean).join('; ') };
}

/**
 * Flushes a generated fixture's files to disk before anything is timed on it:
 * otherwise the first command that fsyncs the audit log (resume, pause) also
 * pays for writing out the hundreds of megabytes the generator left in the
 * page cache, and its time says more about the fixture than the command.
 */
function flushFixture(stateDir: string): void {
  for (const entry of readdirSync(stateDir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const fd = openSync(join(stateDir, entry.name), 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * Measures what DESIGN.md promises about speed and memory: cold start against
 * `node -e 0`, a 1M-row audit log (replay, chain verify, and real `resume`
 * and `pause` on it, the state dir restored between them), a 1M-row log Tau
 * wrote (a first `resume`, then the commands after it), and restoring from 300 MB and 1 GB
 * checkpoints, each with wall time and peak RSS. Fixtures are generated in a
 * temp dir and removed afterwards.
 */
export async function runBench(options: BenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const emit = (entry: BenchRow) => {
    rows.push(entry);
    options.onRow?.(entry);
  };
  const workDir = mkdtempSync(join(tmpdir(), 'tau-po-bench-'));
  try {
    const runs = options.coldStartRuns ?? 20;
    const small = writeScenario('big-audit', join(workDir, 'cold-start'), { rows: 20 });
    const node = await medianOf(runs, () => measureProcess(process.execPath, ['-e', '0']));
    emit(row('cold start: node -e 0', 'node -e 0', '', node, `median of ${runs}`));
    const coldResume = await medianOf(runs, () => measureProcess(...tauPo(options.binary, ['resume', ...flagsOf(small)])));
    emit(row('cold start: tau-po resume', 'tau-po resume', '20 rows, small checkpoint', coldResume, `median of ${runs}; ${(coldResume.wallMs / node.wallMs).toFixed(2)}x node -e 0`));

    const replayRows = options.replayRows ?? 1_000_000;
    const big = writeScenario('big-audit', join(workDir, 'big-audit'), { rows: replayRows });
    flushFixture(big.stateDir);
    const logBytes = statSync(join(big.stateDir, CONTROL_AUDIT_FILE)).size;
    const input = `${replayRows.toLocaleString('en-US')} rows (${formatByteSize(logBytes)})`;
    emit(row('audit replay', 'tau-po resume --dry-run', input, await measureProcess(...tauPo(options.binary, ['resume', '--dry-run', ...flagsOf(big)]))));
    emit(row('audit chain verify', 'tau-po audit verify', input, await measureProcess(...tauPo(options.binary, ['audit', 'verify', '--state-dir', big.stateDir]))));
    // The mutating commands, each on the fixture as generated (restored between runs):
    // resume writes a recovery report listing every row's action; pause only appends.
    const fixture = captureStateDirRestorePoint(big.stateDir, CONTROL_AUDIT_FILE);
    const control = (action: string) => measureProcess(...tauPo(options.binary, [action, ...flagsOf(big)]));
    emit(row('resume, 1M-row log', 'tau-po resume', input, await control('resume'), `writes a ${reportSize(big.stateDir)} recovery report`));
    // Right after that resume: pause reads (and validates) the big report it left.
    emit(row('pause after resume', 'tau-po pause', input, await control('pause'), `reads the ${reportSize(big.stateDir)} recovery report`));
    restoreStateDir(fixture);
    emit(row('pause, 1M-row log', 'tau-po pause', input, await control('pause'), 'no recovery report on disk'));
    // The log now ends at the head file that pause wrote: the next command checks it in O(1).
    emit(row('pause again, 1M-row log', 'tau-po pause', input, await control('pause'), 'O(1) head check, no replay'));
    restoreStateDir(fixture);
    rmSync(big.root, { recursive: true, force: true });

    // A run Tau's binary managed until now (its rows carry no chain keys, no head file of ours), then the
    // commands an operator runs after the first resume: each finds our head file naming the last row.
    const tau = writeScenario('big-tau-audit', join(workDir, 'big-tau-audit'), { rows: replayRows });
    flushFixture(tau.stateDir);
    const tauInput = `${replayRows.toLocaleString('en-US')} Tau rows (${formatByteSize(statSync(join(tau.stateDir, CONTROL_AUDIT_FILE)).size)})`;
    const onTau = (...args: string[]) => measureProcess(...tauPo(options.binary, args));
    emit(row("Tau's log: first resume", 'tau-po resume', tauInput, await onTau('resume', ...flagsOf(tau)), 'no head file yet: only the last row is hashed'));
    emit(row("Tau's log: status after resume", 'tau-po status', tauInput, await onTau('status', ...flagsOf(tau)), 'O(1) head check; reads the report'));
    emit(row("Tau's log: pause after resume", 'tau-po pause', tauInput, await onTau('pause', ...flagsOf(tau)), `O(1) head check; reads the ${reportSize(tau.stateDir)} report`));
    emit(row("Tau's log: resume again", 'tau-po resume', tauInput, await onTau('resume', ...flagsOf(tau)), "chain checked with our head: Tau's rows hashed only at the head row's length"));
    emit(row("Tau's log: audit verify", 'tau-po audit verify', tauInput, await onTau('audit', 'verify', '--state-dir', tau.stateDir)));
    rmSync(tau.root, { recursive: true, force: true });

    for (const bytes of options.checkpointBytes ?? [300_000_000, 1_000_000_000]) {
      const scenario = writeScenario('big-checkpoint', join(workDir, `checkpoint-${bytes}`), { checkpointBytes: bytes });
      flushFixture(scenario.stateDir);
      const size = formatByteSize(statSync(join(scenario.stateDir, PRIMARY_CHECKPOINT_FILE)).size);
      // verify first: it reads the whole file, as resume does, so both see the same page cache.
      const primary = join(scenario.stateDir, PRIMARY_CHECKPOINT_FILE);
      emit(row('checkpoint verify', 'tau-po checkpoint verify', size, await measureProcess(...tauPo(options.binary, ['checkpoint', 'verify', primary]))));
      emit(row('checkpoint restore', 'tau-po resume (crash, primary)', size, await measureProcess(...tauPo(options.binary, ['resume', ...flagsOf(scenario)]))));
      rmSync(scenario.root, { recursive: true, force: true });
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  return rows;
}

/** The benchmark table as aligned text. */
export function renderBenchTable(rows: readonly BenchRow[]): string {
  const header = ['measurement', 'command', 'input', 'wall', 'peak RSS', 'note'];
  const cells = rows.map((entry) => [
    entry.measurement,
    entry.command,
    entry.input,
    entry.wallMs >= 1000 ? `${(entry.wallMs / 1000).toFixed(2)} s` : `${entry.wallMs.toFixed(0)} ms`,
    entry.peakRssKb === null ? 'n/a' : `${(entry.peakRssKb / 1024).toFixed(0)} MB`,
    entry.note,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((cell) => (cell[column] ?? '').length)));
  const format = (cell: readonly string[]) => cell.map((value, column) => value.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [format(header), format(widths.map((width) => '-'.repeat(width))), ...cells.map(format)].join('\n');
}

/** Writes `bench-results.json` into `outDir` and returns its path. */
export function writeBenchResults(rows: readonly BenchRow[], outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, 'bench-results.json');
  writeFileSync(path, `${JSON.stringify({ schema_version: 1, measured_at: new Date().toISOString(), rows }, null, 2)}\n`);
  return path;
}
