// Runs a bundled runner in a real child `node` process and reports how it ended.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import path from 'node:path';
import { inject } from 'vitest';

/** How a child process ended. */
export interface ChildOutcome {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The path of a bundled runner (`<name>-runner.ts` in this directory). */
export function runnerPath(name: string): string {
  return path.join(inject('runnerDir'), `${name}-runner.mjs`);
}

/** Runs `node <runner> <args...>` with extra environment and waits for it. */
export function runChild(runner: string, args: string[], env: Record<string, string> = {}): ChildOutcome {
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [runnerPath(runner), ...args], {
    env: { ...process.env, TAU_PO_FAILPOINT: '', TAU_PO_FAILPOINT_TRACE: '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}
