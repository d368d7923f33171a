// Benchmark: replay of a long audit log as `resume` does it (every row's
// action kept, the hash chain checked in the same pass), next to replay
// without the chain check and the plain `readline` + `JSON.parse` loop. Each
// replay runs in a fresh child process so its peak RSS
// (`resourceUsage().maxRSS`) is its own. Prints MB/s of log and peak RSS.
// Run: `pnpm --filter @tau/audit-log bench` (after `pnpm build`); options:
// --rows 1000000,10000000 --runs N --shape tau|chained --modes chain,replay,readline.
// The synthetic logs are written to the temp dir and removed afterwards.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { AuditChainFold, replayAuditLog } from '../index.js';
import { writeSyntheticAuditLog, type SyntheticRowShape } from './synthetic-audit-log.js';

interface ChildReport {
  replay_ms: number;
  max_rss_mib: number;
  events: number;
  chain_ok: boolean | null;
}

const MODES = ['chain', 'replay', 'readline'] as const;
type Mode = (typeof MODES)[number];

/** Rows above which the readline comparison is skipped (it holds every action as a fresh string). */
const READLINE_MAX_ROWS = 2_000_000;

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
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

async function runChild(mode: Mode, filePath: string): Promise<void> {
  const started = performance.now();
  let events: number;
  let chainOk: boolean | null = null;
  if (mode === 'chain') {
    // What resume does: actions kept for the recovery report, every row hashed and linked.
    const chainFold = new AuditChainFold({ expectedHead: null, headSource: 'legacy' });
    const replay = replayAuditLog(filePath, { collectActions: true, chainFold });
    chainOk = chainFold.finish(filePath, replay.torn_tail).ok;
    events = replay.event_count;
  } else if (mode === 'replay') {
    events = replayAuditLog(filePath).event_count;
  } else {
    events = await replayWithReadline(filePath);
  }
  const report: ChildReport = {
    replay_ms: performance.now() - started,
    max_rss_mib: process.resourceUsage().maxRSS / 1024,
    events,
    chain_ok: chainOk,
  };
  process.stdout.write(JSON.stringify(report));
}

function measure(mode: Mode, filePath: string): ChildReport & { process_ms: number } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, filePath], { encoding: 'utf8' });
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
  const rowCounts = option('rows', '1000000,10000000').split(',').map(Number);
  const runs = Number(option('runs', '3'));
  const shape = option('shape', 'chained') as SyntheticRowShape;
  const modes = option('modes', MODES.join(',')).split(',') as Mode[];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-audit-bench-'));
  try {
    console.log(
      `audit replay benchmark: shape ${shape}, median of ${runs} runs (${os.cpus().length} cores, node ${process.version}, load average ${loadAverage()})`,
    );
    console.log('mode: chain = replay as resume does it (actions kept, hash chain checked in the same pass)');
    console.log('rows        size MB  mode      replay ms  process ms    MB/s  peak RSS MiB  chain');
    for (const rows of rowCounts) {
      const filePath = path.join(dir, `control-audit-${rows}.jsonl`);
      const size = writeSyntheticAuditLog(filePath, rows, shape);
      for (const mode of modes) {
        if (mode === 'readline' && rows > READLINE_MAX_ROWS) continue;
        const reports = Array.from({ length: runs }, () => measure(mode, filePath));
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
            median(reports.map((r) => r.max_rss_mib)).toFixed(1).padStart(12),
            first.chain_ok === null ? '-' : first.chain_ok ? 'ok' : 'FAILED',
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
  await runChild(process.argv[3] as Mode, process.argv[4] as string);
} else {
  main();
}
