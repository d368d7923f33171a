// Runs the bundled runners (see bundle-runners.ts) in real child processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { bundledRunnerPath } from '@tau/vitest-config/bundle-test-runners';
import { runNodeChild, type ChildOutcome } from '@tau/vitest-config/run-node-child';
import { inject } from 'vitest';
import type { ControlRequest } from '../control-request.js';

function runnerPath(name: string): string {
  return bundledRunnerPath(inject('runnerDir'), name);
}

/** Runs one control command in a child `node` with extra environment (e.g. failpoints) and waits for it. */
export function runControlCommandInChild(request: ControlRequest, env: Record<string, string> = {}): ChildOutcome {
  return runNodeChild(runnerPath('control-command'), [JSON.stringify(request)], env);
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
