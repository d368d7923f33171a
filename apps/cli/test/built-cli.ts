// Runs the built tau-po (dist/tau-po, the launcher a user's shell runs)
// as a child process, with an environment free of the variables under test.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import path from 'node:path';

/** The app directory (apps/cli). */
export const APP_DIR = path.resolve(import.meta.dirname, '..');

/** The `tau-po` bin (package.json `bin`). */
export const TAU_PO = path.join(APP_DIR, 'dist', 'tau-po');

/** Variables a test must set explicitly to have them. */
const CONTROLLED = /^(TAU_PROMPT_OPTIMIZATION_CONTROL_|TAU_PO_|TAU_RBAC_LOCAL_ACTOR$|NODE_OPTIONS$)/;

/** process.env without the variables tau-po reads for its own behaviour. */
export function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!CONTROLLED.test(name)) env[name] = value;
  return env;
}

/** What one run printed and how it ended. */
export interface TauPoRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function toRun(result: SpawnSyncReturns<string>): TauPoRun {
  if (result.error !== undefined) throw result.error;
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `tau-po <args>` and waits for it. */
export function runTauPo(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; command?: string; commandArgs?: readonly string[] } = {},
): TauPoRun {
  const command = options.command ?? TAU_PO;
  return toRun(
    spawnSync(command, [...(options.commandArgs ?? []), ...args], {
      cwd: options.cwd,
      env: { ...baseEnv(), ...options.env },
      encoding: 'utf8',
      timeout: 30_000,
    }),
  );
}
