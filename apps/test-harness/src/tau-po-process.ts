import { spawn } from 'node:child_process';
import { tauPoChildEnvironment } from './child-environment.js';
import type { TauPoBinary } from './tau-po-binary.js';

/** What one tau-po process did. */
export interface TauPoRun {
  readonly args: readonly string[];
  /** Exit status, or null when a signal ended the process. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
  readonly timedOut: boolean;
}

/** Options for one run. */
export interface TauPoRunOptions {
  /** Extra environment (failpoints, trace file). */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Killed with SIGKILL after this long (default 60 s). */
  readonly timeoutMs?: number;
}

/** Runs tau-po once and collects its output; never rejects for a non-zero exit or a signal. */
export function runTauPo(binary: TauPoBinary, args: readonly string[], options: TauPoRunOptions = {}): Promise<TauPoRun> {
  const started = process.hrtime.bigint();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(binary.command, [...binary.prefixArgs, ...args], {
      cwd: options.cwd,
      env: tauPoChildEnvironment(process.env, options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolvePromise({
        args,
        exitCode,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        wallMs: Number(process.hrtime.bigint() - started) / 1e6,
        timedOut,
      });
    });
  });
}

/** The standard flags that point tau-po at a scenario. */
export function scenarioFlags(stateDir: string, policyPath: string, principal: string): string[] {
  return ['--state-dir', stateDir, '--rbac-policy', policyPath, '--principal', principal];
}

/** One line describing how a run ended, for reports. */
export function describeRunEnd(run: TauPoRun): string {
  if (run.timedOut) return 'timed out';
  if (run.signal !== null) return `killed by ${run.signal}`;
  return `exit ${run.exitCode}`;
}
