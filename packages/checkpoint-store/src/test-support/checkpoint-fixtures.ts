// Checkpoint documents for tests, written into real temp directories.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PolicyCheckpoint } from '@tau/schemas';

/** A small valid checkpoint; `overrides` replace or add top-level fields. */
export function sampleCheckpoint(overrides: Record<string, unknown> = {}): PolicyCheckpoint {
  return {
    checkpoint_version: 1,
    run_id: 'run-42',
    policy_state: { prompt: 'Think step by step.', weights: [0.25, -1.5] },
    optimizer_state: { lr: 0.001, moments: [[0, 1]] },
    global_step: 120,
    optimizer_step: 118,
    saved_at_unix_seconds: 1_700_000_000,
    ...overrides,
  } as PolicyCheckpoint;
}

/** A fresh temp directory; remove it with `fs.rmSync(dir, { recursive: true })`. */
export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes `content` (or a checkpoint object as pretty JSON) to `dir/name` and returns the path. */
export function writeFixture(dir: string, name: string, content: string | Uint8Array | object): string {
  const filePath = path.join(dir, name);
  const data = typeof content === 'string' || content instanceof Uint8Array ? content : JSON.stringify(content, null, 2);
  fs.writeFileSync(filePath, data);
  return filePath;
}
