// saveCheckpoint in a real child process, killed (SIGKILL) before each of its
// durable operations in turn, and with each write torn in half: afterwards the
// checkpoint must load as the old or the new one, never fail and never mix.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatErrorChain, type PolicyCheckpoint } from '@tau/schemas';
import { bundledRunnerPath } from '@tau/vitest-config/bundle-test-runners';
import { runNodeChild, type ChildOutcome } from '@tau/vitest-config/run-node-child';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { loadCheckpoint } from './load-checkpoint.js';
import { saveCheckpoint } from './save-checkpoint.js';
import { makeTempDir, sampleCheckpoint } from './test-support/checkpoint-fixtures.js';

let dir: string;
let file: string;
let trace: string;
beforeEach(() => {
  dir = makeTempDir('tau-checkpoint-crash-');
  file = path.join(dir, 'policy-checkpoint.json');
  trace = path.join(os.tmpdir(), `tau-checkpoint-trace-${process.pid}-${Date.now()}`);
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(trace, { force: true });
});

const OLD = sampleCheckpoint({ run_id: 'old-run', global_step: 100, policy_state: { text: 'o'.repeat(2000) } });
const NEW = sampleCheckpoint({ run_id: 'new-run', global_step: 200, policy_state: { text: 'n'.repeat(3000) } });

function runSave(checkpoint: PolicyCheckpoint, digest: boolean, env: Record<string, string>): ChildOutcome {
  const runner = bundledRunnerPath(inject('runnerDir'), 'save-checkpoint');
  return runNodeChild(runner, [file, JSON.stringify(checkpoint), digest ? 'digest' : 'plain'], env);
}

function countOperations(prepare: () => void, digest: boolean): string[] {
  prepare();
  fs.rmSync(trace, { force: true });
  const result = runSave(NEW, digest, { TAU_PO_FAILPOINT_TRACE: trace });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return fs.readFileSync(trace, 'utf8').trim().split('\n').map((line) => line.split('\t')[1] as string);
}

const NO_CHECKPOINT = 'no checkpoint file';

/** Which checkpoint the file holds now, as the loader sees it. */
function observedRun(): string {
  if (!fs.existsSync(file)) return NO_CHECKPOINT;
  try {
    return loadCheckpoint(file).header.run_id;
  } catch (error) {
    return `load failed: ${formatErrorChain(error)}`;
  }
}

const scenarios: Array<{ name: string; digest: boolean; prepare: () => void; before: string[] }> = [
  { name: 'digest save over a digested checkpoint', digest: true, prepare: () => saveCheckpoint(file, OLD, { digest: true }), before: ['old-run'] },
  { name: 'digest save over a plain checkpoint', digest: true, prepare: () => saveCheckpoint(file, OLD), before: ['old-run'] },
  { name: 'plain save over a digested checkpoint', digest: false, prepare: () => saveCheckpoint(file, OLD, { digest: true }), before: ['old-run'] },
  { name: 'plain save over a plain checkpoint', digest: false, prepare: () => saveCheckpoint(file, OLD), before: ['old-run'] },
  { name: 'first digest save', digest: true, prepare: () => undefined, before: [NO_CHECKPOINT] },
];

describe('saveCheckpoint under failpoints', () => {
  it.each(scenarios)('$name leaves the old or the new checkpoint at every crash point', ({ digest, prepare, before }) => {
    const reset = (): void => {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir);
      prepare();
    };
    const kinds = countOperations(reset, digest);
    expect(kinds.length).toBeGreaterThanOrEqual(4);
    for (const mode of ['crash', 'torn'] as const) {
      for (let n = 1; n <= kinds.length; n += 1) {
        reset();
        const result = runSave(NEW, digest, { TAU_PO_FAILPOINT: `${mode}@${n}` });
        expect(result.signal, `${mode}@${n} (${kinds[n - 1]})`).toBe('SIGKILL');
        const seen = observedRun();
        expect([...before, 'new-run'], `${mode}@${n} (${kinds[n - 1]}): ${seen}`).toContain(seen);
      }
    }
    // And without a failpoint the save completes.
    reset();
    expect(runSave(NEW, digest, {}).status).toBe(0);
    expect(observedRun()).toBe('new-run');
  });
});
