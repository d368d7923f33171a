// `pnpm bench`: generates 300 MB and 1 GB checkpoints in a temp dir, loads
// each in a fresh child process (without and with a sha256 sidecar), and
// prints wall time, throughput and the child's peak RSS; then the same for a
// hostile shape (arrays nested 32 Mi levels deep). Targets: at least 100 MB/s
// and at most 128 MiB peak RSS.
//
//   node dist/bench/checkpoint-load.bench.js [--sizes 300,1024] (sizes in MiB)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCheckpoint } from '../load-checkpoint.js';
import { generateCheckpoint, generateDeepCheckpoint, type GeneratedCheckpoint } from './generate-checkpoint.js';

const MIB = 1024 * 1024;
const DEEP_NESTING_LEVELS = 32 * MIB;
const TARGET_MB_PER_S = 100;
const TARGET_PEAK_RSS_MIB = 128;

interface ChildReport {
  readonly wall_ms: number;
  readonly max_rss_kib: number;
  readonly bytes: number;
  readonly digest_verified: boolean | null;
  readonly run_id: string;
}

/** Child mode: load one checkpoint and report. */
function runChild(filePath: string): void {
  const started = process.hrtime.bigint();
  const loaded = loadCheckpoint(filePath);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const report: ChildReport = {
    wall_ms: wallMs,
    max_rss_kib: process.resourceUsage().maxRSS,
    bytes: loaded.bytes,
    digest_verified: loaded.digest_verified,
    run_id: loaded.header.run_id,
  };
  process.stdout.write(JSON.stringify(report));
}

function loadInChild(filePath: string): ChildReport {
  const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', filePath], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`benchmark child failed (${result.status ?? result.signal}): ${result.stderr}`);
  return JSON.parse(result.stdout) as ChildReport;
}

function parseSizes(argv: string[]): number[] {
  const index = argv.indexOf('--sizes');
  const value = index === -1 ? '300,1024' : argv[index + 1];
  const sizes = (value ?? '').split(',').map(Number);
  if (sizes.length === 0 || sizes.some((size) => !Number.isFinite(size) || size <= 0)) {
    throw new Error(`--sizes expects MiB values like 300,1024, got ${JSON.stringify(value)}`);
  }
  return sizes;
}

function pad(text: string, width: number): string {
  return text.padStart(width);
}

function runBenchmark(sizesMib: number[]): boolean {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-checkpoint-bench-'));
  const header = ['shape', 'size', 'sidecar', 'wall', 'MB/s', 'peak RSS', 'verdict'];
  const widths = [7, 10, 8, 9, 6, 11, 7];
  const printRow = (cells: string[]): void => console.log(cells.map((c, i) => pad(c, widths[i] as number)).join('  '));
  printRow(header);
  let allPass = true;
  const measure = (shape: string, file: string, generated: GeneratedCheckpoint): void => {
    for (const withSidecar of [false, true]) {
      if (withSidecar) fs.writeFileSync(`${file}.sha256`, `${generated.sha256}  ${path.basename(file)}\n`);
      const report = loadInChild(file);
      if (report.bytes !== generated.bytes || report.digest_verified !== (withSidecar ? true : null)) {
        throw new Error(`benchmark load returned unexpected result: ${JSON.stringify(report)}`);
      }
      const mbPerS = report.bytes / 1e6 / (report.wall_ms / 1000);
      const rssMib = report.max_rss_kib / 1024;
      const pass = mbPerS >= TARGET_MB_PER_S && rssMib <= TARGET_PEAK_RSS_MIB;
      allPass &&= pass;
      printRow([
        shape,
        `${(report.bytes / MIB).toFixed(0)} MiB`,
        withSidecar ? 'sha256' : 'none',
        `${(report.wall_ms / 1000).toFixed(2)} s`,
        mbPerS.toFixed(0),
        `${rssMib.toFixed(1)} MiB`,
        pass ? 'ok' : 'MISS',
      ]);
    }
    fs.rmSync(file, { force: true });
    fs.rmSync(`${file}.sha256`, { force: true });
  };
  try {
    for (const sizeMib of sizesMib) {
      const file = path.join(dir, `policy-checkpoint-${sizeMib}.json`);
      measure('typical', file, generateCheckpoint(file, sizeMib * MIB));
    }
    const deep = path.join(dir, 'policy-checkpoint-deep.json');
    measure('nested', deep, generateDeepCheckpoint(deep, DEEP_NESTING_LEVELS));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`targets: >= ${TARGET_MB_PER_S} MB/s, peak RSS <= ${TARGET_PEAK_RSS_MIB} MiB (MB = 10^6 bytes)`);
  return allPass;
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  runChild(args[1] as string);
} else if (!runBenchmark(parseSizes(args))) {
  process.exitCode = 1;
}
