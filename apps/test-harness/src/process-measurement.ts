import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tauPoChildEnvironment } from './child-environment.js';

/** Wall time and peak resident memory of one child process. */
export interface ProcessMeasurement {
  readonly exitCode: number | null;
  readonly wallMs: number;
  /** Peak RSS in kilobytes, or null when /usr/bin/time is not available. */
  readonly peakRssKb: number | null;
  readonly stderr: string;
}

/** GNU time, which reports a child's peak RSS (`%M`); node has no rusage for children. */
const GNU_TIME = '/usr/bin/time';

/** Parses `/usr/bin/time -f '%e %M'` output: the last line holding two numbers. */
export function parseGnuTimeOutput(text: string): { seconds: number; peakRssKb: number } | undefined {
  const lines = text.trim().split('\n').reverse();
  for (const line of lines) {
    const match = /^(\d+(?:\.\d+)?) (\d+)$/.exec(line.trim());
    if (match) return { seconds: Number(match[1]), peakRssKb: Number(match[2]) };
  }
  return undefined;
}

/**
 * Runs `command args` and measures it: wall time from our own clock (GNU time
 * rounds to 10 ms, too coarse for a 50 ms start), peak RSS from GNU time.
 * The child gets the harness's child environment (no NODE_EXTRA_CA_CERTS).
 */
export function measureProcess(command: string, args: readonly string[]): Promise<ProcessMeasurement> {
  const useGnuTime = existsSync(GNU_TIME);
  const scratch = mkdtempSync(join(tmpdir(), 'tau-po-measure-'));
  const timeOutput = join(scratch, 'time.txt');
  const [file, argv] = useGnuTime ? [GNU_TIME, ['-f', '%e %M', '-o', timeOutput, command, ...args]] : [command, [...args]];
  const started = process.hrtime.bigint();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, argv, { env: tauPoChildEnvironment(), stdio: ['ignore', 'ignore', 'pipe'] });
    const stderr: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const parsed = useGnuTime && existsSync(timeOutput) ? parseGnuTimeOutput(readFileSync(timeOutput, 'utf8')) : undefined;
      rmSync(scratch, { recursive: true, force: true });
      resolvePromise({ exitCode, wallMs, peakRssKb: parsed?.peakRssKb ?? null, stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
