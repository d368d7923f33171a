import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveCheckpoint } from './save-checkpoint.js';
import { verifyCheckpoint } from './verify-checkpoint.js';
import { makeTempDir, sampleCheckpoint, writeFixture } from './test-support/checkpoint-fixtures.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = makeTempDir('tau-checkpoint-verify-');
  file = path.join(dir, 'policy-checkpoint.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('verifyCheckpoint', () => {
  it('reports header, sizes and digest of a valid checkpoint', () => {
    saveCheckpoint(file, sampleCheckpoint(), { digest: true });
    const report = verifyCheckpoint(file);
    expect(report).toMatchObject({
      path: file, valid: true, error: null, bytes: fs.statSync(file).size,
      header: { run_id: 'run-42', global_step: 120 },
      digest: { sidecar_path: `${file}.sha256`, matches: true },
    });
    expect(report.digest.expected).toEqual([report.sha256]);
    expect(report.state_bytes?.policy_state).toBeGreaterThan(10);
  });

  it('hashes a checkpoint without a sidecar and reports a mismatch with the header', () => {
    saveCheckpoint(file, sampleCheckpoint());
    expect(verifyCheckpoint(file)).toMatchObject({ valid: true, digest: { expected: null, matches: null } });
    expect(verifyCheckpoint(file).sha256).toMatch(/^[0-9a-f]{64}$/);
    fs.writeFileSync(`${file}.sha256`, `${'1'.repeat(64)}  policy-checkpoint.json\n`);
    const report = verifyCheckpoint(file);
    expect(report).toMatchObject({ valid: false, header: { run_id: 'run-42' }, digest: { matches: false } });
    expect(report.error).toMatch(/^checkpoint digest mismatch: /);
  });

  it('reports an invalid or unreadable checkpoint without throwing', () => {
    writeFixture(dir, 'policy-checkpoint.json', '{"checkpoint_version": 1}');
    expect(verifyCheckpoint(file)).toMatchObject({
      valid: false, header: null, error: `missing required checkpoint field \`run_id\``,
    });
    expect(verifyCheckpoint(path.join(dir, 'missing.json'))).toMatchObject({ valid: false, bytes: null, sha256: null });
  });
});
