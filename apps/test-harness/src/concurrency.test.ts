import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runConcurrency } from './concurrency.js';
import { resolveTauPoBinary, type TauPoBinary } from './tau-po-binary.js';

const stateFirstCli = fileURLToPath(new URL('./test-fixtures/state-first-control-cli.mjs', import.meta.url));
const unlockedBinary: TauPoBinary = { path: stateFirstCli, command: process.execPath, prefixArgs: [stateFirstCli] };

describe('concurrency', () => {
  it('8 operators, 200 commands: each succeeds or is busy, one audit row per success, chain intact', async () => {
    const result = await runConcurrency({ binary: resolveTauPoBinary(), operators: 8, commands: 200, seed: 1 });
    expect(result.violations).toEqual([]);
    expect(result.commands).toBe(200);
    expect(result.succeeded + result.busy).toBe(200);
    expect(result.rowsAdded).toBe(result.succeeded);
    expect(result.succeeded).toBeGreaterThan(0);
  }, 180_000);

  it('fails a CLI without a state-dir lock (lost updates)', async () => {
    const result = await runConcurrency({ binary: unlockedBinary, operators: 8, commands: 120, seed: 2 });
    // A failed run keeps its scenario (the state dir's parent) for inspection; failing is the point here.
    if (result.keptDir !== null) rmSync(dirname(result.keptDir), { recursive: true, force: true });
    expect(result.passed).toBe(false);
    // Racing read-modify-write shows up as broken links or misreported idempotency (which exactly depends on timing).
    const lostUpdateSigns = result.violations.filter((violation) => ['chain-verifies', 'idempotency-consistent', 'state-matches-log', 'rows-match-successes'].includes(violation.check));
    expect(lostUpdateSigns.length).toBeGreaterThan(0);
  }, 60_000);
});
