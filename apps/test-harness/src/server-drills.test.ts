// The server drills against the built CLI: real `tau-po serve` processes,
// real SIGKILL, real HTTP on 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { runServerConcurrency } from './server-concurrency.js';
import { renderServerDrillSummary, runServerCrashDrill } from './server-crash-drill.js';
import { resolveTauPoBinary } from './tau-po-binary.js';

describe('server drills', () => {
  it('SIGKILL mid-command, restart, resume through the server: every invariant holds', async () => {
    const result = await runServerCrashDrill({ binary: resolveTauPoBinary(), trials: 4, seed: 1 });
    expect(result.trials.flatMap((trial) => trial.violations), renderServerDrillSummary(result)).toEqual([]);
    expect(result.passed).toBe(true);
    // The kills must land on work: some commits happened, and at least one kill caught a command holding the lock.
    expect(result.trials.some((trial) => trial.rowsAdded > 0)).toBe(true);
    expect(result.killedWhileLocked).toBeGreaterThan(0);
  }, 60_000);

  // 32 x 12 here to stay within a minute (one commit costs ~45 ms of fsyncs on the CI machine);
  // `tau-po-harness server-concurrency` runs the full 32 x 50.
  it('32 clients x 12 mutating requests, 2 local CLI operators racing them: every 2xx/exit 0 is one audit row, every other answer 409/exit 5, chain verifies', async () => {
    const result = await runServerConcurrency({ binary: resolveTauPoBinary(), clients: 32, requestsPerClient: 12, seed: 1, localOperators: 2, localCommandsEach: 10 });
    expect(result.violations).toEqual([]);
    expect(result.commands).toBe(32 * 12 + 20);
    expect(result.succeeded + result.busy).toBe(result.commands);
    expect(result.rowsAdded).toBe(result.succeeded);
    expect(result.succeeded).toBeGreaterThan(0);
    expect(result.busy).toBeGreaterThan(0);
  }, 90_000);
});
