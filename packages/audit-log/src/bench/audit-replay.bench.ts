// Benchmark: replay of a 1,000,000-row audit log, fast path vs the plain
// `readline` + `JSON.parse` loop. Each replay runs in a fresh child process so
// its peak RSS (`resourceUsage().maxRSS`) is its own. Run: `pnpm bench`
// (after `pnpm build`); options: --rows N --runs N --shape tau|chained|both.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { replayAuditLog } from '../index.js';
import { writeSyntheticAuditLog, type SyntheticRowShape } from './synthetic-audit-log.js';

interface ChildReport {
  replay_ms: number;
  max_rss_mib: number;
  events: number;
}

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

async function runChild(mode: string, filePath: string): Promise<void> {
  const started = performance.now();
  const events = mode === 'fast' ? replayAuditLog(filePath).event_count : await replayWithReadline(filePath);
  const report: ChildReport = {
    replay_ms: performance.now() - started,
    max_rss_mib: process.resourceUsage().maxRSS / 1024,
    events,
  };
  process.stdout.write(JSON.stringify(report));
}

function measure(mode: string, filePath: string): ChildReport & { process_ms: number } {
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

function main(): void {
  const rows = Number(option('rows', '1000000'));
  const runs = Number(option('runs', '3'));
  const shapeOption = option('shape', 'both');
  const shapes: SyntheticRowShape[] = shapeOption === 'both' ? ['tau', 'chained'] : [shapeOption as SyntheticRowShape];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-audit-bench-'));
  try {
    console.log(`audit replay benchmark: ${rows} rows, ${runs} runs each, median shown (${os.cpus().length} cores, node ${process.version})`);
    console.log('shape    size MB  path      replay ms  process ms  peak RSS MiB  events');
    for (const shape of shapes) {
      const filePath = path.join(dir, `control-audit-${shape}.jsonl`);
      const size = writeSyntheticAuditLog(filePath, rows, shape);
      for (const mode of ['fast', 'readline']) {
        const reports = Array.from({ length: runs }, () => measure(mode, filePath));
        console.log(
          [
            shape.padEnd(7),
            (size / 1e6).toFixed(1).padStart(7),
            mode.padEnd(8),
            median(reports.map((r) => r.replay_ms)).toFixed(0).padStart(9),
            median(reports.map((r) => r.process_ms)).toFixed(0).padStart(10),
            median(reports.map((r) => r.max_rss_mib)).toFixed(1).padStart(12),
            String((reports[0] as ChildReport).events).padStart(7),
          ].join('  '),
        );
      }
      fs.rmSync(filePath);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  await runChild(process.argv[3] as string, process.argv[4] as string);
} else {
  main();
}
