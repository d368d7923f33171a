// Runs a bundled runner (see bundle-runners.ts) in a real child `node` process.
import { runNodeChild, type ChildOutcome } from '@tau/vitest-config/run-node-child';
import { bundledRunnerPath } from '@tau/vitest-config/bundle-test-runners';
import { inject } from 'vitest';

/** The path of a bundled runner (`<name>-runner.ts` in this directory). */
export function runnerPath(name: string): string {
  return bundledRunnerPath(inject('runnerDir'), name);
}

/** Runs `node <runner> <args...>` with extra environment and waits for it. */
export function runChild(runner: string, args: string[], env: Record<string, string> = {}): ChildOutcome {
  return runNodeChild(runnerPath(runner), args, env);
}
