// Test support: the real CLI (`apps/cli/dist/tau-po`, the bin the CLI package
// names) run as a child process: `tau-po serve` on 127.0.0.1, tokens, and
// control commands on the same state directory.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cliPackageJson = createRequire(import.meta.url).resolve('@tau/cli/package.json');

/** The built `tau-po` bin. */
export const TAU_PO = path.join(path.dirname(cliPackageJson), 'dist', 'tau-po');

/** Runs `tau-po args`; resolves with stdout, rejects on a non-zero exit. */
export async function tauPo(args: readonly string[], cwd?: string): Promise<string> {
  const { stdout } = await run(TAU_PO, [...args], { cwd, timeout: 60_000, maxBuffer: 16 << 20 });
  return stdout;
}

/** Creates a token for `principal` in `tokenStore`; returns its text. */
export async function createToken(principal: string, tokenStore: string): Promise<string> {
  return (await tauPo(['token', 'create', '--principal', principal, '--token-store', tokenStore])).trim();
}

/** A running `tau-po serve`. */
export interface ServedDashboard {
  child: ChildProcess;
  baseUrl: string;
  port: number;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/** Starts `tau-po serve` for one state dir (run `default`) on `port` (0: any free port); resolves once it listens. */
export async function startServe(options: { stateDir: string; policyPath: string; tokenStore: string; port?: number }): Promise<ServedDashboard> {
  const child = spawn(
    TAU_PO,
    [
      'serve',
      '--listen',
      `127.0.0.1:${options.port ?? 0}`,
      '--state-dir',
      options.stateDir,
      '--rbac-policy',
      options.policyPath,
      '--token-store',
      options.tokenStore,
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let output = '';
    const onExit = (code: number | null, signal: string | null) => reject(new Error(`tau-po serve exited early (${code ?? signal}): ${output}`));
    child.once('exit', onExit);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1] !== undefined) {
        child.off('exit', onExit);
        resolve(match[1]);
      }
    });
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  };
  return { child, baseUrl, port: Number(new URL(baseUrl).port), stop };
}
