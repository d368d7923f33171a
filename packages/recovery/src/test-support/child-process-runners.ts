// Runs the bundled runners (see bundle-runners.ts) in real child processes.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bundledRunnerPath } from '@tau/vitest-config/bundle-test-runners';
import { runNodeChild, type ChildOutcome } from '@tau/vitest-config/run-node-child';
import { expect, inject } from 'vitest';
import type { ControlRequest } from '../control-request.js';

function runnerPath(name: string): string {
  return bundledRunnerPath(inject('runnerDir'), name);
}

/** Runs one control command in a child `node` with extra environment (e.g. failpoints) and waits for it. */
export function runControlCommandInChild(request: ControlRequest, env: Record<string, string> = {}): ChildOutcome {
  return runNodeChild(runnerPath('control-command'), [JSON.stringify(request)], env);
}

/** One durable operation the failpoint trace recorded: its index, kind and the basename of its target. */
export interface TracedOperation {
  index: number;
  kind: string;
  target: string;
}

/**
 * Runs a control command in a child with a failpoint trace written to
 * `tracePath`; expects it to succeed and returns the durable operations it
 * did, in order.
 */
export function traceControlCommandInChild(request: ControlRequest, tracePath: string): TracedOperation[] {
  const outcome = runControlCommandInChild(request, { TAU_PO_FAILPOINT_TRACE: tracePath });
  expect(outcome.status, outcome.stderr).toBe(0);
  return fs
    .readFileSync(tracePath, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [index, kind, target] = line.split('\t');
      return { index: Number(index), kind: kind ?? '', target: path.basename(target ?? '') };
    });
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
