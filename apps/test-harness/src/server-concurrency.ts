// The concurrency drill through the control server: `clients` concurrent
// HTTP clients, each sending its share of mutating requests to one real
// `tau-po serve`. Judged by the same pure judge as the CLI drill
// (`judgeConcurrencyRun`): every 2xx is exactly one audit row (with the same
// actions), every other answer is 409 busy, and the chain verifies.
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTROL_AUDIT_FILE, FALLBACK_CHECKPOINT_FILE } from '@tau/schemas';
import type { MutatingAction } from './audit-history.js';
import { BUSY_EXIT_CODE, cliCommandArgs, judgeConcurrencyRun, planOperatorCommands, type ConcurrencyResult } from './concurrency.js';
import { checkAfterSuccess, completeLines } from './crash-invariants.js';
import { writeScenario } from './scenario-writer.js';
import { createServeToken, postAction, startServe, stopServe, tokenStoreBeside, type ServeAnswer } from './serve-process.js';
import { observeStateDir } from './state-dir-observation.js';
import type { TauPoBinary } from './tau-po-binary.js';
import { runTauPo, type TauPoRun } from './tau-po-process.js';

/** HTTP 409: the state directory is busy (exit 5 in the body). */
export const HTTP_BUSY = 409;

/**
 * An HTTP answer as the judge reads a CLI run (pure): 2xx is exit 0, 409 is
 * the busy exit 5 with the server's message, anything else keeps its HTTP
 * status as the "exit code", which the judge reports as a violation.
 */
export function answerAsRun(action: MutatingAction, answer: ServeAnswer, wallMs: number): TauPoRun {
  const exitCode = answer.status >= 200 && answer.status < 300 ? 0 : answer.status === HTTP_BUSY ? BUSY_EXIT_CODE : answer.status;
  return { args: [action], exitCode, signal: null, stdout: '', stderr: `HTTP ${answer.status}: ${answer.message}`, wallMs, timedOut: false };
}

/** Server concurrency options. */
export interface ServerConcurrencyOptions {
  readonly binary: TauPoBinary;
  /** Concurrent clients (default 32). */
  readonly clients?: number;
  /** Requests per client (default 50). */
  readonly requestsPerClient?: number;
  readonly seed?: number;
  /**
   * Local CLI operators racing the server on the same state dir (default 2),
   * each running `localCommandsEach` (default 10) commands: the server runs
   * one command at a time, so only another process holding the shared lock
   * makes it answer 409 (and it makes the CLI exit 5).
   */
  readonly localOperators?: number;
  readonly localCommandsEach?: number;
}

/** Races `clients` x `requestsPerClient` mutating requests (and a few local CLI operators) against one server and judges the result. */
export async function runServerConcurrency(options: ServerConcurrencyOptions): Promise<ConcurrencyResult> {
  const clients = options.clients ?? 32;
  const total = clients * (options.requestsPerClient ?? 50);
  const seed = options.seed ?? 1;
  const started = Date.now();
  const root = mkdtempSync(join(tmpdir(), 'tau-po-server-concurrency-'));
  const scenario = writeScenario('clean', root);
  const tokenStore = tokenStoreBeside(scenario.stateDir);
  const token = await createServeToken(options.binary, tokenStore);
  const before = readFileSync(join(scenario.stateDir, CONTROL_AUDIT_FILE));
  const server = await startServe(options.binary, { stateDir: scenario.stateDir, policyPath: scenario.policyPath, tokenStore });
  const issued: { action: MutatingAction; run: TauPoRun }[] = [];
  try {
    await Promise.all([
      ...planOperatorCommands(seed, clients, total).map(async (commands) => {
        for (const command of commands) {
          await sleep(command.jitterMs);
          const body = command.action === 'rollback' ? { checkpoint: join(scenario.stateDir, FALLBACK_CHECKPOINT_FILE) } : {};
          const sent = Date.now();
          const answer = await postAction(server.url, token, command.action, body);
          issued.push({ action: command.action, run: answerAsRun(command.action, answer, Date.now() - sent) });
        }
      }),
      ...planOperatorCommands(seed + 1, options.localOperators ?? 2, (options.localOperators ?? 2) * (options.localCommandsEach ?? 10)).map(
        async (commands) => {
          for (const command of commands) {
            await sleep(command.jitterMs);
            issued.push({ action: command.action, run: await runTauPo(options.binary, cliCommandArgs(command.action, scenario)) });
          }
        },
      ),
    ]);
  } finally {
    await stopServe(server);
  }
  const observation = observeStateDir(scenario.stateDir);
  const rows = (log: Buffer) =>
    completeLines(log)
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line.toString('utf8')) as { action: string; lifecycle_state: string; rollback_checkpoint: string | null; idempotent: boolean });
  const rowsBefore = rows(before);
  const rowsAfter = rows(observation.auditLog);
  const violations = judgeConcurrencyRun(issued, rowsBefore, rowsAfter, checkAfterSuccess(before, observation));
  const passed = violations.length === 0;
  if (passed) rmSync(root, { recursive: true, force: true });
  return {
    seed,
    operators: clients,
    commands: issued.length,
    succeeded: issued.filter(({ run }) => run.exitCode === 0).length,
    busy: issued.filter(({ run }) => run.exitCode === BUSY_EXIT_CODE).length,
    rowsAdded: rowsAfter.length - rowsBefore.length,
    wallMs: Date.now() - started,
    violations,
    passed,
    keptDir: passed ? null : scenario.stateDir,
  };
}
