import fs from 'node:fs';
import path from 'node:path';
import { formatErrorChain } from '@tau/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointRestoreError } from './checkpoint-errors.js';
import { loadCheckpointWithFallback } from './load-with-fallback.js';
import { makeTempDir, sampleCheckpoint, writeFixture } from './test-support/checkpoint-fixtures.js';

let dir: string;
let primary: string;
let fallback: string;
beforeEach(() => {
  dir = makeTempDir('tau-checkpoint-fallback-');
  primary = path.join(dir, 'policy-checkpoint.json');
  fallback = path.join(dir, 'policy-checkpoint.rollback.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('loadCheckpointWithFallback', () => {
  it('prefers the primary when both are valid', () => {
    writeFixture(dir, 'policy-checkpoint.json', sampleCheckpoint({ run_id: 'primary-run' }));
    writeFixture(dir, 'policy-checkpoint.rollback.json', sampleCheckpoint({ run_id: 'fallback-run' }));
    const restore = loadCheckpointWithFallback(primary, fallback);
    expect(restore.source).toBe('primary');
    expect(restore.checkpoint.header.run_id).toBe('primary-run');
    expect(restore.diagnostics).toEqual([]);
  });

  it('uses a valid fallback when the primary is corrupt, and says why', () => {
    writeFixture(dir, 'policy-checkpoint.json', '{"checkpoint_version": 1, "run_id": "torn');
    writeFixture(dir, 'policy-checkpoint.rollback.json', sampleCheckpoint({ run_id: 'fallback-run' }));
    const restore = loadCheckpointWithFallback(primary, fallback);
    expect(restore.source).toBe('fallback');
    expect(restore.checkpoint.header.run_id).toBe('fallback-run');
    expect(restore.diagnostics).toEqual([
      `primary checkpoint load failed: parse checkpoint JSON ${primary}: unexpected end of JSON input at line 1, column 42 (byte 41)`,
    ]);
  });

  it('uses the fallback when the primary is missing', () => {
    writeFixture(dir, 'policy-checkpoint.rollback.json', sampleCheckpoint());
    const restore = loadCheckpointWithFallback(primary, fallback);
    expect(restore.source).toBe('fallback');
    expect(restore.diagnostics[0]).toMatch(new RegExp(`^primary checkpoint load failed: read checkpoint ${primary}: ENOENT`));
  });

  it('uses the fallback when the primary fails its digest', () => {
    writeFixture(dir, 'policy-checkpoint.json', sampleCheckpoint());
    fs.writeFileSync(`${primary}.sha256`, `${'0'.repeat(64)}  policy-checkpoint.json\n`);
    writeFixture(dir, 'policy-checkpoint.rollback.json', sampleCheckpoint({ run_id: 'fallback-run' }));
    const restore = loadCheckpointWithFallback(primary, fallback);
    expect(restore.source).toBe('fallback');
    expect(restore.diagnostics[0]).toMatch(/^primary checkpoint load failed: checkpoint digest mismatch: .* says 0{64}, file hashes to [0-9a-f]{64}$/);
  });

  it('fails with both causes when both are corrupt', () => {
    writeFixture(dir, 'policy-checkpoint.json', '');
    writeFixture(dir, 'policy-checkpoint.rollback.json', sampleCheckpoint({ checkpoint_version: 3 }));
    let error: unknown;
    try {
      loadCheckpointWithFallback(primary, fallback);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CheckpointRestoreError);
    const restoreError = error as CheckpointRestoreError;
    expect(restoreError.message).toBe(
      `primary checkpoint load failed: parse checkpoint JSON ${primary}: file is empty at line 1, column 1 (byte 0); ` +
        `fallback checkpoint load failed: unsupported checkpoint_version 3; expected 1`,
    );
    expect(formatErrorChain(restoreError.primaryCause)).toContain('file is empty');
    expect(formatErrorChain(restoreError.fallbackCause)).toContain('unsupported checkpoint_version 3');
  });
});
