// Runs the bundled runners (see bundle-runners.ts) in real child processes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { inject } from 'vitest';
import type { ControlRequest } from '../control-request.js';

/** How a child process ended. */
export interface ChildOutcome {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runnerPath(name: string): string {
  return path.join(inject('recoveryRunnerDir'), `${name}-runner.mjs`);
}

/** Runs one control command in a child `node` with extra environment (e.g. failpoints) and waits for it. */
export function runControlCommandInChild(request: ControlRequest, env: Record<string, string> = {}): ChildOutcome {
  const result = spawnSync(process.execPath, [runnerPath('control-command'), JSON.stringify(request)], {
    env: { ...process.env, TAU_PO_FAILPOINT: '', TAU_PO_FAILPOINT_TRACE: '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** Starts a child that takes the state directory's lock; resolves once it holds it. */
export async function startLockHolder(stateDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [runnerPath('state-dir-lock-holder'), stateDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('locked')) resolve();
    });
    child.once('exit', (code, signal) => reject(new Error(`lock holder exited early (${code ?? signal})`)));
  });
  return child;
}

/** Kills a child with SIGKILL and waits until it is gone. */
export async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}
