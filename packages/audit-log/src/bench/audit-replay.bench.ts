// Benchmark: replay of a long audit log as `resume` does it (every row's
// action kept, the hash chain checked in the same pass), on every core
// (`chain`: byte ranges in worker threads) and on one thread (`chain-1t`),
// next to replay without the chain check and the plain `readline` +
// `JSON.parse` loop. Each replay runs in a fresh child process so its peak RSS
// (`resourceUsage().maxRSS`, worker threads included) and CPU time are its
// own. Prints MB/s of log, CPU time and peak RSS, and the load average (the
// machine may be shared: wall time then says more about the neighbours).
// Run: `pnpm --filter @tau/audit-log bench` (after `pnpm build`; part of `pnpm
// bench`): 1M rows in every mode, then the 10M-row case (`--ten-million`: a
// 3.85 GB log, `chain` and `chain-1t` once each; about two minutes, skipped
// with a line saying so when the temp dir lacks the room). Rows are hashed by
// the native row hasher when the build made one (the header says which).
// Options (`node dist/bench/audit-replay.bench.js ...`): --ten-million,
// --rows 1000000,10000000 (instead), --runs N, --shape tau|chained,
// --modes chain,chain-1t,chain-head,verify,verify-1t,replay,readline. Logs go
// to the temp dir (TMPDIR) and are removed afterwards.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { AuditChainFold, foldAuditChain, nativeRowHasher, replayAuditLog, rowSha256Hex, type AuditChainHead } from '../index.js';
import { writeSyntheticAuditLog, type SyntheticRowShape } from './synthetic-audit-log.js';

interface ChildReport {
  replay_ms: number;
  max_rss_mib: number;
  events: number;
  chain_ok: boolean | null;
  cpu_ms: number;
  /** A digest of the replay and chain verdict: equal across modes that compute the same thing. */
  result_digest: string;
}

const MODES = ['chain', 'chain-1t', 'chain-head', 'verify', 'verify-1t', 'replay', 'readline'] as const;
type Mode = (typeof MODES)[number];

/** Rows above which the readline comparison is skipped (it holds every action as a fresh string). */
const READLINE_MAX_ROWS = 2_000_000;

/**
 * The 10M-row case `--ten-million` adds (as `pnpm bench` runs it): one run
 * of each of these modes, unless `--modes` / `--runs` say otherwise. Writing
 * the 3.85 GB log takes about 90 s here; the two runs about 20 s.
 */
const TEN_MILLION_ROWS = 10_000_000;
const TEN_MILLION_MODES: Mode[] = ['chain', 'chain-1t'];
/** Bytes of log per row at most (chained rows are about 385), and room left beside it: for the free-space check. */
const MAX_BYTES_PER_ROW = 420;
const FREE_SPACE_MARGIN = 16 * 1024 * 1024;

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

function usageError(message: string): never {
  console.error(`audit replay benchmark: ${message}`);
  process.exit(2);
}

function modesOption(): Mode[] {
  const modes = option('modes', MODES.join(',')).split(',');
  const unknown = modes.filter((mode) => !(MODES as readonly string[]).includes(mode));
  if (unknown.length > 0) usageError(`unknown mode ${unknown.join(', ')} in --modes (modes: ${MODES.join(', ')})`);
  return modes as Mode[];
}

function positiveIntegerOption(name: string, fallback: string): number[] {
  const text = option(name, fallback);
  const values = text.split(',').map((part) => (/^[1-9][0-9]*$/.test(part) ? Number(part) : Number.NaN));
  if (values.some((value) => !Number.isSafeInteger(value))) usageError(`--${name} must be positive integers separated by commas (got '${text}')`);
  return values;
}

interface BenchCase {
  rows: number;
  modes: Mode[];
  runs: number;
}

/** The row counts to measure, each with its modes and runs (see `TEN_MILLION_MODES`). */
function benchCases(): BenchCase[] {
  const modes = modesOption();
  const runsGiven = positiveIntegerOption('runs', '5');
  if (runsGiven.length !== 1) usageError('--runs takes one number');
  const runs = runsGiven[0] as number;
  if (process.argv.includes('--rows')) return positiveIntegerOption('rows', '').map((rows) => ({ rows, modes, runs }));
  const cases: BenchCase[] = [{ rows: 1_000_000, modes, runs }];
  if (process.argv.includes('--ten-million')) {
    cases.push({
      rows: TEN_MILLION_ROWS,
      modes: process.argv.includes('--modes') ? modes : TEN_MILLION_MODES,
      runs: process.argv.includes('--runs') ? runs : 1,
    });
  }
  return cases;
}

/** Why a log of `rows` rows cannot be written in `dir` (too little free space), or null when it can. */
function lackOfSpace(dir: string, rows: number): string | null {
  const needed = rows * MAX_BYTES_PER_ROW + FREE_SPACE_MARGIN;
  const { bavail, bsize } = fs.statfsSync(dir);
  const free = bavail * bsize;
  return free >= needed ? null : `only ${sizeText(free)} free in ${dir}, and the log needs up to ${sizeText(needed)}`;
}

function sizeText(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.ceil(bytes / 1e6)} MB`;
}

/** The simple path for comparison: what a straightforward Node reader does. */
async function replayWithReadline(filePath: string): Promise<number> {
  const actions: string[] = [];
  const lines = readline.createInterface({ input: fs.createReadStream(filePath), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    actions.push((JSON.parse(line) as { action: string }).action);
  }
  return actions.length;
}

/**
 * The head our head file records after a command: the log's last row (read
 * from the file's end, before the clock starts), as every command after the
 * first one on a state directory replays with it.
 */
function headOfLastRow(filePath: string, rows: number): AuditChainHead {
  const size = fs.statSync(filePath).size;
  const fd = fs.openSync(filePath, 'r');
  try {
    const tail = Buffer.alloc(Math.min(size, 64 * 1024));
    fs.readSync(fd, tail, 0, tail.length, size - tail.length);
    const lastStart = tail.lastIndexOf(0x0a, tail.length - 2) + 1;
    const row = tail.subarray(lastStart, tail.length - 1);
    return { row_count: rows, last_row_offset: size - tail.length + lastStart, end_offset: size, last_row_sha256: rowSha256Hex(row) };
  } finally {
    fs.closeSync(fd);
  }
}

async function runChild(mode: Mode, filePath: string, rows: number): Promise<void> {
  const expectedHead = mode === 'chain-head' ? headOfLastRow(filePath, rows) : null;
  const started = performance.now();
  let events: number;
  let chainOk: boolean | null = null;
  let digest = '';
  let digestOf: (() => string) | undefined;
  if (mode === 'chain' || mode === 'chain-1t' || mode === 'chain-head') {
    // What resume does: actions kept for the recovery report, every row hashed and linked (rows Tau
    // wrote link nothing: with a recorded head, only rows that may be the head's are hashed).
    const chainFold = new AuditChainFold(expectedHead === null ? { expectedHead: null, headSource: 'legacy' } : { expectedHead, headSource: 'file' });
    const replay = replayAuditLog(filePath, { collectActions: true, chainFold }, mode === 'chain-1t' ? { at: [] } : undefined);
    const verification = chainFold.finish(filePath, replay.torn_tail);
    chainOk = verification.ok;
    events = replay.event_count;
    // Computed after the clock stops.
    digestOf = () => {
      // Without the file's path (a new temporary directory per run), so runs and modes compare.
      const hash = createHash('sha256').update(JSON.stringify({ ...replay, replayed_actions: null, verification: { ...verification, path: null } }));
      for (const action of replay.replayed_actions ?? []) hash.update(action);
      return hash.digest('hex').slice(0, 12);
    };
  } else if (mode === 'verify' || mode === 'verify-1t') {
    // What `audit verify` does: the chain walked (malformed lines would be findings), no actions kept.
    const verification = foldAuditChain(filePath, new AuditChainFold({ expectedHead: null, headSource: 'legacy' }), undefined, mode === 'verify-1t' ? { at: [] } : undefined);
    chainOk = verification.ok;
    events = verification.rows;
    digestOf = () => createHash('sha256').update(JSON.stringify({ ...verification, path: null })).digest('hex').slice(0, 12);
  } else if (mode === 'replay') {
    events = replayAuditLog(filePath).event_count;
  } else {
    events = await replayWithReadline(filePath);
  }
  const replayMs = performance.now() - started;
  if (digestOf !== undefined) digest = digestOf();
  const report: ChildReport = {
    replay_ms: replayMs,
    max_rss_mib: process.resourceUsage().maxRSS / 1024,
    events,
    chain_ok: chainOk,
    cpu_ms: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1000,
    result_digest: digest,
  };
  process.stdout.write(JSON.stringify(report));
}

function measure(mode: Mode, filePath: string, rows: number): ChildReport & { process_ms: number } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, filePath, String(rows)], { encoding: 'utf8' });
  const processMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`benchmark child failed: ${result.stderr}`);
  return { ...(JSON.parse(result.stdout) as ChildReport), process_ms: processMs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

function main(): void {
  const cases = benchCases();
  const shape = option('shape', 'chained');
  if (shape !== 'chained' && shape !== 'tau') usageError(`--shape must be chained or tau (got '${shape}')`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-audit-bench-'));
  try {
    console.log(
      `audit replay benchmark: shape ${shape}, median of ${cases.map((c) => `${c.runs} run${c.runs === 1 ? '' : 's'} at ${c.rows} rows`).join(', ')} (${os.cpus().length} cores, node ${process.version}, load average ${loadAverage()})`,
    );
    console.log('mode: chain = replay as resume does it (actions kept, hash chain checked in the same pass)');
    console.log('chain-1t = the same on one thread; chain-head = chain with a recorded head naming the last row (commands after the first)');
    console.log('verify(-1t) = `audit verify`, chain only');
    console.log('MB/s = log size / replay wall time (median run; best: fastest run); cpu ms = all threads');
    const native = nativeRowHasher();
    console.log(`rows hashed with: ${native === undefined ? 'node:crypto (no native row hasher built: see packages/audit-log/README.md)' : `the native row hasher (${native.path})`}`);
    console.log('rows        size MB  mode      replay ms  process ms    MB/s  best MB/s  cpu ms  peak RSS MiB  chain  result');
    for (const { rows, modes, runs } of cases) {
      const lack = lackOfSpace(dir, rows);
      if (lack !== null) {
        console.log(`  ${rows} rows skipped: ${lack} (set TMPDIR to a roomier directory)`);
        continue;
      }
      const filePath = path.join(dir, `control-audit-${rows}.jsonl`);
      const size = writeSyntheticAuditLog(filePath, rows, shape as SyntheticRowShape);
      console.log(`  (load average before ${rows} rows: ${loadAverage()})`);
      // Runs interleaved (each mode once per round): on a shared machine the load drifts, and
      // every mode should see the same drift.
      const measured = modes.filter((mode) => mode !== 'readline' || rows <= READLINE_MAX_ROWS);
      const reportsOf = new Map<Mode, ReturnType<typeof measure>[]>(measured.map((mode) => [mode, []]));
      for (let run = 0; run < runs; run += 1) {
        for (const mode of measured) reportsOf.get(mode)?.push(measure(mode, filePath, rows));
      }
      for (const mode of measured) {
        const reports = reportsOf.get(mode) ?? [];
        const replayMs = median(reports.map((r) => r.replay_ms));
        const first = reports[0] as ChildReport;
        console.log(
          [
            String(rows).padEnd(10),
            (size / 1e6).toFixed(1).padStart(7),
            mode.padEnd(8),
            replayMs.toFixed(0).padStart(9),
            median(reports.map((r) => r.process_ms)).toFixed(0).padStart(10),
            (size / 1e6 / (replayMs / 1000)).toFixed(0).padStart(7),
            (size / 1e6 / (Math.min(...reports.map((r) => r.replay_ms)) / 1000)).toFixed(0).padStart(9),
            median(reports.map((r) => r.cpu_ms)).toFixed(0).padStart(6),
            median(reports.map((r) => r.max_rss_mib)).toFixed(1).padStart(12),
            (first.chain_ok === null ? '-' : first.chain_ok ? 'ok' : 'FAILED').padEnd(5),
            first.result_digest || '-',
          ].join('  '),
        );
      }
      fs.rmSync(filePath);
    }
    console.log(`load average after: ${loadAverage()}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  await runChild(process.argv[3] as Mode, process.argv[4] as string, Number(process.argv[5]));
} else {
  main();
}
