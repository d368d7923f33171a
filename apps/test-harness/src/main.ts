import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatErrorChain } from '@tau/schemas';
import { renderBenchTable, runBench, writeBenchResults } from './bench.js';
import { ByteSizeError, parseByteSize } from './byte-size.js';
import { runConcurrency } from './concurrency.js';
import { runDemo } from './demo.js';
import { runDrill } from './drill.js';
import { runServerConcurrency } from './server-concurrency.js';
import { AUTOCANNON_VERSION } from './autocannon-run.js';
import { renderServerBenchTable, runServerBench } from './server-bench.js';
import { renderServerDrillSummary, runServerCrashDrill } from './server-crash-drill.js';
import { DRILL_COMMANDS, type DrillCommand } from './drill-plan.js';
import { renderDrillJson, renderDrillMarkdown, renderDrillSummary } from './drill-report.js';
import { DEFAULT_FUZZ_CASES, renderFuzzSummary, runFuzz } from './fuzz.js';
import { OPERATOR_PRINCIPAL } from './rbac-policy-fixture.js';
import { describeScenarios, isScenarioName, takesRows } from './scenario-catalog.js';
import { writeScenario } from './scenario-writer.js';
import { resolveTauPoBinary, type TauPoBinary } from './tau-po-binary.js';

const USAGE = `tau-po-harness: proves tau-po's safety claims against the real CLI.

  tau-po-harness scenario --list
  tau-po-harness scenario <name> <dir> [--rows N] [--size 300MB]
  tau-po-harness demo
  tau-po-harness drill [--out DIR] [--parallel 2] [--command pause ...]
  tau-po-harness concurrency [--operators 8] [--commands 200] [--seed 1]
  tau-po-harness server-drill [--trials 6] [--seed 1]           (SIGKILL tau-po serve mid-command)
  tau-po-harness server-concurrency [--clients 32] [--requests 50] [--seed 1]
  tau-po-harness fuzz [--cases ${DEFAULT_FUZZ_CASES}] [--seed 7] [--parallel 2] [--out DIR]
  tau-po-harness bench [--out DIR] [--runs 20] [--rows 1000000] [--sizes 300MB,1GB]   (then the server table)
  tau-po-harness server-bench [--runs 20]

Every command but scenario runs the CLI named by apps/cli/package.json "bin"
(override: --cli PATH or TAU_PO_BIN). Exit status: 0 all checks passed,
1 a check failed, 2 usage error.`;

/** A command-line mistake: print usage, exit 2. */
class UsageError extends Error {
  override name = 'UsageError';
}

const OPTIONS = {
  list: { type: 'boolean' },
  rows: { type: 'string' },
  size: { type: 'string' },
  sizes: { type: 'string' },
  out: { type: 'string' },
  parallel: { type: 'string' },
  command: { type: 'string', multiple: true },
  operators: { type: 'string' },
  commands: { type: 'string' },
  seed: { type: 'string' },
  cases: { type: 'string' },
  runs: { type: 'string' },
  cli: { type: 'string' },
  trials: { type: 'string' },
  clients: { type: 'string' },
  requests: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function positiveInteger(
  values: Values,
  name: 'rows' | 'parallel' | 'operators' | 'commands' | 'seed' | 'cases' | 'runs' | 'trials' | 'clients' | 'requests',
  fallback: number,
): number {
  const text = values[name];
  if (text === undefined) return fallback;
  const value = Number(text.replace(/_/g, ''));
  const least = name === 'seed' ? 0 : 1;
  if (!Number.isSafeInteger(value) || value < least) {
    throw new UsageError(`--${name} must be ${least === 0 ? 'a non-negative' : 'a positive'} integer, got ${JSON.stringify(text)}`);
  }
  return value;
}

function binaryFrom(values: Values): TauPoBinary {
  return resolveTauPoBinary(values.cli === undefined ? process.env : { ...process.env, TAU_PO_BIN: values.cli });
}

function outDirFrom(values: Values, prefix: string): string {
  const dir = values.out ?? mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(dir, { recursive: true });
  return dir;
}

function scenarioCommand(positionals: readonly string[], values: Values): number {
  if (values.list === true) {
    for (const entry of describeScenarios()) {
      console.log(`${entry.name}${entry.sizeFlag === null ? '' : ` [${entry.sizeFlag}]`}\n    ${entry.summary}\n    resume: ${entry.resumeOutcome}`);
    }
    console.log('\nLayout: <dir>/state is the state dir, <dir>/rbac.json the RBAC policy (principal local:rl-operator).');
    return 0;
  }
  const [name, dir] = positionals;
  if (name === undefined || dir === undefined || positionals.length > 2) throw new UsageError('scenario needs <name> <dir> (or --list)');
  if (!isScenarioName(name)) throw new UsageError(`unknown scenario ${JSON.stringify(name)} (see scenario --list)`);
  if (values.rows !== undefined && !takesRows(name)) throw new UsageError('--rows applies to big-audit and big-tau-audit only');
  if (values.size !== undefined && name !== 'big-checkpoint') throw new UsageError('--size applies to big-checkpoint only');
  const sizes = {
    ...(values.rows === undefined ? {} : { rows: positiveInteger(values, 'rows', 1) }),
    ...(values.size === undefined ? {} : { checkpointBytes: parseByteSize(values.size) }),
  };
  const scenario = writeScenario(name, dir, sizes);
  console.log(`scenario ${name} written to ${scenario.root}`);
  console.log(`  state dir:   ${scenario.stateDir}`);
  console.log(`  rbac policy: ${scenario.policyPath}${name === 'missing-policy' ? ' (deliberately absent)' : ''}`);
  console.log(`try:\n  tau-po resume --state-dir ${scenario.stateDir} --rbac-policy ${scenario.policyPath} --principal ${OPERATOR_PRINCIPAL}`);
  return 0;
}

async function drillCommand(values: Values): Promise<number> {
  const commands = values.command?.map((command) => {
    if (!(DRILL_COMMANDS as readonly string[]).includes(command)) throw new UsageError(`--command must be one of ${DRILL_COMMANDS.join(', ')}`);
    return command as DrillCommand;
  });
  const binary = binaryFrom(values);
  const out = outDirFrom(values, 'tau-po-drill-results-');
  let done = 0;
  const result = await runDrill({
    binary,
    parallelism: positiveInteger(values, 'parallel', 2),
    ...(commands === undefined ? {} : { commands }),
    onCell: (cell) => {
      done += 1;
      if (!cell.passed) console.error(`FAIL ${cell.command} / ${cell.scenario} / ${cell.failpoint}@${cell.operation}: ${cell.violations.map((v) => `${v.invariant}: ${v.detail}`).join('; ')}`);
      else if (process.stderr.isTTY) process.stderr.write(`\r${done} cells`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\r');
  writeFileSync(join(out, 'drill-results.json'), renderDrillJson(result));
  writeFileSync(join(out, 'drill-results.md'), renderDrillMarkdown(result));
  console.log(renderDrillSummary(result));
  console.log(`matrix: ${join(out, 'drill-results.md')} and drill-results.json`);
  return result.failed === 0 ? 0 : 1;
}

async function concurrencyCommand(values: Values): Promise<number> {
  const result = await runConcurrency({
    binary: binaryFrom(values),
    operators: positiveInteger(values, 'operators', 8),
    commands: positiveInteger(values, 'commands', 200),
    seed: positiveInteger(values, 'seed', 1),
  });
  console.log(
    `concurrency: ${result.operators} operators, ${result.commands} commands (seed ${result.seed}): ${result.succeeded} succeeded, ${result.busy} busy; audit rows added ${result.rowsAdded}; ${(result.wallMs / 1000).toFixed(1)} s`,
  );
  for (const violation of result.violations) console.log(`  ${violation.check}: ${violation.detail}`);
  if (result.keptDir !== null) console.log(`  state dir kept at ${result.keptDir}`);
  console.log(result.passed ? 'every command succeeded or was busy; rows == successes; chain verifies' : 'FAILED');
  return result.passed ? 0 : 1;
}

async function serverDrillCommand(values: Values): Promise<number> {
  const result = await runServerCrashDrill({
    binary: binaryFrom(values),
    trials: positiveInteger(values, 'trials', 6),
    seed: positiveInteger(values, 'seed', 1),
  });
  console.log(renderServerDrillSummary(result));
  return result.passed ? 0 : 1;
}

async function serverConcurrencyCommand(values: Values): Promise<number> {
  const result = await runServerConcurrency({
    binary: binaryFrom(values),
    clients: positiveInteger(values, 'clients', 32),
    requestsPerClient: positiveInteger(values, 'requests', 50),
    seed: positiveInteger(values, 'seed', 1),
  });
  console.log(
    `server concurrency: ${result.operators} HTTP clients + 2 local CLI operators, ${result.commands} commands (seed ${result.seed}): ` +
      `${result.succeeded} succeeded, ${result.busy} busy (409 / exit 5); audit rows added ${result.rowsAdded}; ${(result.wallMs / 1000).toFixed(1)} s`,
  );
  for (const violation of result.violations) console.log(`  ${violation.check}: ${violation.detail}`);
  if (result.keptDir !== null) console.log(`  state dir kept at ${result.keptDir}`);
  console.log(result.passed ? 'every 2xx is one audit row; every other answer 409; chain verifies' : 'FAILED');
  return result.passed ? 0 : 1;
}

async function fuzzCommand(values: Values): Promise<number> {
  const result = await runFuzz({
    binary: binaryFrom(values),
    cases: positiveInteger(values, 'cases', DEFAULT_FUZZ_CASES),
    seed: positiveInteger(values, 'seed', 7),
    parallelism: positiveInteger(values, 'parallel', 2),
  });
  console.log(renderFuzzSummary(result));
  if (values.out !== undefined) {
    const out = outDirFrom(values, 'tau-po-fuzz-');
    writeFileSync(join(out, 'fuzz-results.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`results: ${join(out, 'fuzz-results.json')}`);
  }
  return result.passed ? 0 : 1;
}

async function benchCommand(values: Values): Promise<number> {
  const sizes = values.sizes?.split(',').map((size) => parseByteSize(size));
  const rows = await runBench({
    binary: binaryFrom(values),
    coldStartRuns: positiveInteger(values, 'runs', 20),
    replayRows: positiveInteger(values, 'rows', 1_000_000),
    ...(sizes === undefined ? {} : { checkpointBytes: sizes }),
    onRow: (row) => console.error(`measured: ${row.measurement} (${row.input || row.command})`),
  });
  console.log(renderBenchTable(rows));
  console.log(`results: ${writeBenchResults(rows, outDirFrom(values, 'tau-po-bench-results-'))}`);
  const serverExit = await serverBenchCommand(values);
  return rows.every((row) => row.exitCode === 0) && serverExit === 0 ? 0 : 1;
}

/** The control server's table (issue 15); exit 1 only when a measurement failed, never for a missed goal. */
async function serverBenchCommand(values: Values): Promise<number> {
  const rows = await runServerBench({
    binary: binaryFrom(values),
    coldStartRuns: positiveInteger(values, 'runs', 20),
    onRow: (row) => console.error(`measured: ${row.measurement}`),
  });
  console.log(`\ncontrol server (tau-po serve on 127.0.0.1, autocannon ${AUTOCANNON_VERSION}):`);
  console.log(renderServerBenchTable(rows));
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const [subcommand, ...rest] = argv[0] === '--' ? argv.slice(1) : argv;
  const { values, positionals } = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
  if (subcommand === undefined || subcommand === 'help' || values.help === true) {
    console.log(USAGE);
    return subcommand === undefined ? 2 : 0;
  }
  if (subcommand !== 'scenario' && positionals.length > 0) throw new UsageError(`${subcommand} takes no positional arguments`);
  switch (subcommand) {
    case 'scenario':
      return scenarioCommand(positionals, values);
    case 'demo':
      return runDemo(binaryFrom(values));
    case 'drill':
      return drillCommand(values);
    case 'concurrency':
      return concurrencyCommand(values);
    case 'fuzz':
      return fuzzCommand(values);
    case 'server-drill':
      return serverDrillCommand(values);
    case 'server-concurrency':
      return serverConcurrencyCommand(values);
    case 'bench':
      return benchCommand(values);
    case 'server-bench':
      return serverBenchCommand(values);
    default:
      throw new UsageError(`unknown command ${JSON.stringify(subcommand)}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage = error instanceof UsageError || error instanceof ByteSizeError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    // The whole cause chain: a bare message would hide which file or step failed.
    console.error(`tau-po-harness: ${formatErrorChain(error)}`);
    if (usage) console.error('run `tau-po-harness help` for usage');
    process.exitCode = usage ? 2 : 1;
  },
);
