// A `tau-po serve` child process on 127.0.0.1 (port 0: a free one), for the
// tests that talk to a real server through the built bin.
import { spawn, type ChildProcess } from 'node:child_process';
import { baseEnv, TAU_PO } from './built-cli.js';

/** A running server. */
export interface ServeProcess {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then waits for the exit. */
  stop: () => Promise<void>;
}

/**
 * Starts `tau-po serve --listen 127.0.0.1:0 <args>` in `cwd`; resolves on its
 * readiness line. Request logs are off (`--log-level warn`) unless `requestLogs`.
 */
export async function startServeProcess(
  args: readonly string[],
  cwd?: string,
  options: { requestLogs?: boolean } = {},
): Promise<ServeProcess> {
  const logLevel = options.requestLogs === true ? [] : ['--log-level', 'warn'];
  const child = spawn(TAU_PO, ['serve', '--listen', '127.0.0.1:0', ...logLevel, ...args], {
    cwd,
    env: baseEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = /^tau-po serve listening on (http\S+)\n/.exec(stdout);
      if (match !== null) resolve(match[1]!);
    });
    void exited.then(({ code }) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return { child, url, stdout: () => stdout, stderr: () => stderr, exited, stop };
}
