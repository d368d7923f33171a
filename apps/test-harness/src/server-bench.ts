// The control server's figures (issue 15): `GET status` throughput and p99
// with 10 connections, `POST pause` latency, the server's RSS after 10,000
// requests, and the local cold start beside client mode's. A real
// `tau-po serve` on 127.0.0.1, loaded by autocannon in this process.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAutocannon, type AutocannonResult } from './autocannon-run.js';
import { median, measureProcess } from './process-measurement.js';
import { OPERATOR_PRINCIPAL } from './rbac-policy-fixture.js';
import { writeScenario } from './scenario-writer.js';
import { createServeToken, startServe, stopServe, tokenStoreBeside } from './serve-process.js';
import type { TauPoBinary } from './tau-po-binary.js';
import { scenarioFlags } from './tau-po-process.js';

/** One row of the server table. */
export interface ServerBenchRow {
  readonly measurement: string;
  readonly value: string;
  /** The goal, or '' when it sets none. */
  readonly goal: string;
  /** 'ok', 'MISSED', or '' without a goal. */
  readonly verdict: '' | 'ok' | 'MISSED';
  readonly note: string;
}

/** Options. */
export interface ServerBenchOptions {
  readonly binary: TauPoBinary;
  /** Seconds of `GET status` load (default 10). */
  readonly statusSeconds?: number;
  /** `POST pause` requests, one connection (default 300). */
  readonly pauseRequests?: number;
  /** Cold-start repetitions (default 20, median). */
  readonly coldStartRuns?: number;
  readonly onRow?: (row: ServerBenchRow) => void;
}

/** The server's resident set size in KiB (Linux /proc), or null elsewhere. */
export function residentKib(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? null : Number(match[1]);
  } catch {
    return null;
  }
}

/** User + system CPU the process has used, in ms (Linux /proc; clock ticks from getconf), or null elsewhere. */
export function processCpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ');
    const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    if (fields === undefined || !(ticksPerSecond > 0)) return null;
    // After the command name: state is field 3, utime 14, stime 15 (1-based, so 11 and 12 here).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return null;
  }
}

function failures(result: AutocannonResult): string {
  const failed = result.non2xx + result.errors + result.timeouts;
  return failed === 0 ? 'every answer 2xx' : `${failed} answers not 2xx (errors ${result.errors}, timeouts ${result.timeouts})`;
}

function judged(measurement: string, value: number, unit: string, goal: { limit: number; atLeast: boolean } | null, note: string): ServerBenchRow {
  const shown = `${value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value.toFixed(2)} ${unit}`;
  if (goal === null) return { measurement, value: shown, goal: '', verdict: '', note };
  const met = goal.atLeast ? value >= goal.limit : value <= goal.limit;
  return { measurement, value: shown, goal: `${goal.atLeast ? '>=' : '<='} ${goal.limit.toLocaleString('en-US')} ${unit}`, verdict: met ? 'ok' : 'MISSED', note };
}

/** Measures the server rows; the fixture lives in a temp dir removed afterwards. */
export async function runServerBench(options: ServerBenchOptions): Promise<ServerBenchRow[]> {
  const rows: ServerBenchRow[] = [];
  const emit = (row: ServerBenchRow): void => {
    rows.push(row);
    options.onRow?.(row);
  };
  const root = mkdtempSync(join(tmpdir(), 'tau-po-server-bench-'));
  try {
    const scenario = writeScenario('clean', root);
    const tokenStore = tokenStoreBeside(scenario.stateDir);
    const token = await createServeToken(options.binary, tokenStore);
    const tokenFile = join(root, 'operator.token');
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    const server = await startServe(options.binary, { stateDir: scenario.stateDir, policyPath: scenario.policyPath, tokenStore });
    try {
      const headers = { authorization: `Bearer ${token}` };
      const statusUrl = `${server.url}/api/v1/runs/default/status`;
      let served = 0;
      // Warm-up (JIT, page cache), not reported.
      served += (await runAutocannon({ url: statusUrl, connections: 10, headers, amount: 1000 })).requests.total;
      const cpuBefore = processCpuMs(server.pid);
      const status = await runAutocannon({ url: statusUrl, connections: 10, headers, duration: options.statusSeconds ?? 10 });
      const cpuAfter = processCpuMs(server.pid);
      served += status.requests.total;
      emit(judged('GET status throughput', status.requests.average, 'req/s', { limit: 2000, atLeast: true }, `10 connections, ${options.statusSeconds ?? 10} s; ${failures(status)}`));
      emit(judged('GET status p99 latency', status.latency.p99, 'ms', { limit: 20, atLeast: false }, `p50 ${status.latency.p50} ms, max ${status.latency.max} ms`));
      // Less sensitive to other load on the machine than throughput: the server's own CPU per answer.
      if (cpuBefore !== null && cpuAfter !== null && status.requests.total > 0) {
        const perRequest = (cpuAfter - cpuBefore) / status.requests.total;
        emit(judged('GET status server CPU per request', perRequest, 'ms', null, `user+system of the server process; about ${Math.round(1000 / perRequest).toLocaleString('en-US')} req/s on one otherwise idle core`));
      }
      if (served < 10_000) served += (await runAutocannon({ url: statusUrl, connections: 10, headers, amount: 10_000 - served })).requests.total;
      const rss = residentKib(server.pid);
      if (rss !== null) emit(judged('server RSS after >= 10,000 requests', rss / 1024, 'MiB', { limit: 150, atLeast: false }, `${served.toLocaleString('en-US')} requests served (VmRSS)`));
      const pauses = options.pauseRequests ?? 300;
      const pause = await runAutocannon({
        url: `${server.url}/api/v1/runs/default/actions/pause`,
        method: 'POST',
        connections: 1,
        headers: { ...headers, 'content-type': 'application/json' },
        body: '{}',
        amount: pauses,
      });
      emit(judged('POST pause p99 latency', pause.latency.p99, 'ms', null, `1 connection, ${pauses} commits (an audit row and the state file each, fsynced); p50 ${pause.latency.p50} ms; ${failures(pause)}`));
      const runs = options.coldStartRuns ?? 20;
      const cold = async (args: readonly string[]): Promise<number> => {
        const walls: number[] = [];
        for (let run = 0; run < runs; run += 1) {
          const measured = await measureProcess(options.binary.command, [...options.binary.prefixArgs, ...args]);
          if (measured.exitCode !== 0) throw new Error(`tau-po ${args.join(' ')} exited ${measured.exitCode}: ${measured.stderr.trim()}`);
          walls.push(measured.wallMs);
        }
        return median(walls);
      };
      emit(judged('cold start: tau-po status (local)', await cold(['status', ...scenarioFlags(scenario.stateDir, scenario.policyPath, OPERATOR_PRINCIPAL)]), 'ms', null, `median of ${runs}; the startup-snapshot path, unchanged by client mode`));
      emit(judged('cold start: tau-po status --server', await cold(['status', '--server', server.url, '--token-file', tokenFile]), 'ms', null, `median of ${runs}; loads dist/tau-po-client.cjs, one HTTP round trip`));
    } finally {
      await stopServe(server);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return rows;
}

/** The server table as aligned text. */
export function renderServerBenchTable(rows: readonly ServerBenchRow[]): string {
  const header = ['measurement', 'value', 'goal', 'verdict', 'note'];
  const cells = rows.map((row) => [row.measurement, row.value, row.goal, row.verdict, row.note]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((cell) => (cell[column] ?? '').length)));
  const format = (cell: readonly string[]) => cell.map((value, column) => value.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [format(header), format(widths.map((width) => '-'.repeat(width))), ...cells.map(format)].join('\n');
}
