// The crash drill through the control server: a real `tau-po serve` under a
// stream of mutating requests is killed with a real SIGKILL at a (seeded)
// random moment, mostly while a command holds the lock; then the state dir
// must pass the crash drill's invariants (artifacts parse, committed rows
// kept, state never ahead of its commit point, chain verifies), every
// request answered 2xx must be in the log, and after a restart of the server
// a resume through it (the CLI in client mode) must recover, leaving a state
// dir that passes the post-command invariants.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STATE_DIR_LOCK_FILE } from '@tau/durable-fs';
import { CONTROL_AUDIT_FILE, FALLBACK_CHECKPOINT_FILE } from '@tau/schemas';
import fc from 'fast-check';
import { checkAfterCrash, checkAfterSuccess, checkNextCommandRecovers, completeLines, type InvariantViolation } from './crash-invariants.js';
import { writeScenario } from './scenario-writer.js';
import { createServeToken, postAction, startServe, stopServe, tokenStoreBeside, type ServeProcess } from './serve-process.js';
import { observeStateDir } from './state-dir-observation.js';
import type { TauPoBinary } from './tau-po-binary.js';
import { describeRunEnd, runTauPo } from './tau-po-process.js';

/** A check of one trial that failed. */
export interface ServerDrillViolation {
  readonly check: InvariantViolation['invariant'] | 'answered-rows-kept' | 'killed-by-sigkill' | 'clean-stop';
  readonly detail: string;
}

/** One kill. */
export interface ServerDrillTrial {
  readonly trial: number;
  /** How long the load ran before the kill. */
  readonly killAfterMs: number;
  /** Whether a command held the state-dir lock at the moment of the kill (mid-command). */
  readonly lockHeldAtKill: boolean;
  /** Requests answered 2xx before the kill. */
  readonly answeredOk: number;
  /** Rows the log gained up to the kill (committed, answered or not). */
  readonly rowsAdded: number;
  /** How the resume after the restart ended. */
  readonly resumeAfterRestart: string;
  readonly violations: readonly ServerDrillViolation[];
}

/** The whole drill. */
export interface ServerDrillResult {
  readonly seed: number;
  readonly trials: readonly ServerDrillTrial[];
  readonly killedWhileLocked: number;
  readonly passed: boolean;
  /** Roots of failed trials, kept for inspection. */
  readonly keptDirs: readonly string[];
}

/** Drill options. */
export interface ServerDrillOptions {
  readonly binary: TauPoBinary;
  /** Kills (default 6). */
  readonly trials?: number;
  /** Concurrent clients of the load (default 4). */
  readonly clients?: number;
  readonly seed?: number;
}

const LOAD_ACTIONS = ['pause', 'resume', 'cancel', 'rollback'] as const;

function rowCount(log: Buffer): number {
  return completeLines(log).filter((line) => line.length > 0).length;
}

/** Sends mutating requests until the server stops answering; counts the 2xx answers. */
async function loadUntilKilled(server: ServeProcess, token: string, stateDir: string, client: number, answered: { ok: number }): Promise<void> {
  for (let n = client; ; n += 1) {
    const action = LOAD_ACTIONS[n % LOAD_ACTIONS.length] as (typeof LOAD_ACTIONS)[number];
    const body = action === 'rollback' ? { checkpoint: join(stateDir, FALLBACK_CHECKPOINT_FILE) } : {};
    try {
      const answer = await postAction(server.url, token, action, body);
      if (answer.status >= 200 && answer.status < 300) answered.ok += 1;
    } catch {
      return; // the connection died with the server
    }
  }
}

async function runTrial(options: Required<Omit<ServerDrillOptions, 'seed'>>, trial: number, killAfterMs: number): Promise<{ result: ServerDrillTrial; root: string }> {
  const { binary, clients } = options;
  const root = mkdtempSync(join(tmpdir(), 'tau-po-server-drill-'));
  const scenario = writeScenario('clean', root);
  const tokenStore = tokenStoreBeside(scenario.stateDir);
  const token = await createServeToken(binary, tokenStore);
  const tokenFile = join(root, 'operator.token');
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  const run = { stateDir: scenario.stateDir, policyPath: scenario.policyPath, tokenStore };
  const violations: ServerDrillViolation[] = [];
  const before = readFileSync(join(scenario.stateDir, CONTROL_AUDIT_FILE));

  const server = await startServe(binary, run);
  const answered = { ok: 0 };
  const load = Promise.all(Array.from({ length: clients }, (_, client) => loadUntilKilled(server, token, scenario.stateDir, client, answered)));
  await new Promise((resolvePromise) => setTimeout(resolvePromise, killAfterMs));
  // Wait (briefly) for a command to hold the lock, so the kill lands mid-command.
  const lockPath = join(scenario.stateDir, STATE_DIR_LOCK_FILE);
  const deadline = Date.now() + 500;
  while (!existsSync(lockPath) && Date.now() < deadline) await new Promise((resolvePromise) => setImmediate(resolvePromise));
  const lockHeldAtKill = existsSync(lockPath);
  const answeredBeforeKill = answered.ok;
  process.kill(server.pid, 'SIGKILL');
  const end = await server.exited;
  await load;
  if (end.signal !== 'SIGKILL') violations.push({ check: 'killed-by-sigkill', detail: `server ended with ${end.code ?? end.signal}` });

  const afterCrash = observeStateDir(scenario.stateDir);
  violations.push(...checkAfterCrash(before, afterCrash).map((v) => ({ check: v.invariant, detail: v.detail })));
  const rowsAdded = rowCount(afterCrash.auditLog) - rowCount(before);
  if (answeredBeforeKill > rowsAdded) {
    violations.push({ check: 'answered-rows-kept', detail: `${answeredBeforeKill} requests were answered 2xx but the log gained ${rowsAdded} rows` });
  }

  // Restart on the same state dir (the killed server's lock must be judged stale) and resume through it.
  const restarted = await startServe(binary, run);
  const resume = await runTauPo(binary, ['resume', '--server', restarted.url, '--token-file', tokenFile]);
  violations.push(...checkNextCommandRecovers(resume).map((v) => ({ check: v.invariant, detail: v.detail })));
  await stopServe(restarted);
  const stop = await restarted.exited;
  if (stop.code !== 0) violations.push({ check: 'clean-stop', detail: `restarted server exited ${stop.code ?? stop.signal} on SIGTERM` });
  if (resume.exitCode === 0) {
    violations.push(...checkAfterSuccess(afterCrash.auditLog, observeStateDir(scenario.stateDir)).map((v) => ({ check: v.invariant, detail: v.detail })));
  }
  return {
    root,
    result: { trial, killAfterMs, lockHeldAtKill, answeredOk: answeredBeforeKill, rowsAdded, resumeAfterRestart: describeRunEnd(resume), violations },
  };
}

/** Runs the drill: `trials` kills, one after another (each on a fresh `clean` scenario). */
export async function runServerCrashDrill(options: ServerDrillOptions): Promise<ServerDrillResult> {
  const seed = options.seed ?? 1;
  const trials = options.trials ?? 6;
  const delays = fc.sample(fc.integer({ min: 50, max: 600 }), { seed, numRuns: trials });
  const results: ServerDrillTrial[] = [];
  const keptDirs: string[] = [];
  for (const [index, killAfterMs] of delays.entries()) {
    const { result, root } = await runTrial({ binary: options.binary, trials, clients: options.clients ?? 4 }, index + 1, killAfterMs);
    results.push(result);
    if (result.violations.length === 0) rmSync(root, { recursive: true, force: true });
    else keptDirs.push(root);
  }
  return {
    seed,
    trials: results,
    killedWhileLocked: results.filter((trial) => trial.lockHeldAtKill).length,
    passed: results.every((trial) => trial.violations.length === 0),
    keptDirs,
  };
}

/** One line per trial and a verdict, for the harness's output. */
export function renderServerDrillSummary(result: ServerDrillResult): string {
  const lines = result.trials.map(
    (t) =>
      `trial ${t.trial}: SIGKILL after ${t.killAfterMs} ms (${t.lockHeldAtKill ? 'mid-command, lock held' : 'between commands'}), ` +
      `${t.answeredOk} answered 2xx, ${t.rowsAdded} rows committed; resume after restart: ${t.resumeAfterRestart}` +
      (t.violations.length === 0 ? '' : `\n  ${t.violations.map((v) => `${v.check}: ${v.detail}`).join('\n  ')}`),
  );
  lines.push(
    `server crash drill (seed ${result.seed}): ${result.passed ? 'PASS' : 'FAIL'}, ${result.trials.length} kills, ${result.killedWhileLocked} mid-command` +
      (result.keptDirs.length === 0 ? '' : `; kept: ${result.keptDirs.join(', ')}`),
  );
  return lines.join('\n');
}
