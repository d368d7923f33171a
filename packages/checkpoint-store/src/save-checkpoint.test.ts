import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { formatErrorChain } from '@tau/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointSaveError } from './checkpoint-errors.js';
import { loadCheckpoint } from './load-checkpoint.js';
import { saveCheckpoint } from './save-checkpoint.js';
import { makeTempDir, sampleCheckpoint, writeFixture } from './test-support/checkpoint-fixtures.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = makeTempDir('tau-checkpoint-save-');
  file = path.join(dir, 'policy-checkpoint.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('saveCheckpoint', () => {
  it('writes pretty JSON in Tau key order, extra keys after, and loads back', () => {
    const shuffled = { extra: true, global_step: 5, run_id: 'r', optimizer_step: 4, checkpoint_version: 1, saved_at_unix_seconds: 9,
      optimizer_state: {}, policy_state: { a: [1] } };
    const saved = saveCheckpoint(file, shuffled as never);
    expect(fs.readFileSync(file, 'utf8')).toBe([
      '{',
      '  "checkpoint_version": 1,',
      '  "run_id": "r",',
      '  "policy_state": {',
      '    "a": [',
      '      1',
      '    ]',
      '  },',
      '  "optimizer_state": {},',
      '  "global_step": 5,',
      '  "optimizer_step": 4,',
      '  "saved_at_unix_seconds": 9,',
      '  "extra": true',
      '}',
    ].join('\n'));
    expect(saved).toEqual({ path: file, bytes: fs.statSync(file).size, sha256: null });
    expect(loadCheckpoint(file).header).toEqual({ checkpoint_version: 1, run_id: 'r', global_step: 5, optimizer_step: 4, saved_at_unix_seconds: 9 });
    expect(fs.readdirSync(dir)).toEqual(['policy-checkpoint.json']);
  });

  it('writes a sha256sum-compatible sidecar that loads verify', () => {
    const saved = saveCheckpoint(file, sampleCheckpoint(), { digest: true });
    const sha = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    expect(saved.sha256).toBe(sha);
    expect(fs.readFileSync(`${file}.sha256`, 'utf8')).toBe(`${sha}  policy-checkpoint.json\n`);
    expect(spawnSync('sha256sum', ['-c', 'policy-checkpoint.json.sha256'], { cwd: dir }).status).toBe(0);
    expect(loadCheckpoint(file).digest_verified).toBe(true);
  });

  it('replaces an old checkpoint and its sidecar', () => {
    saveCheckpoint(file, sampleCheckpoint({ global_step: 1 }), { digest: true });
    saveCheckpoint(file, sampleCheckpoint({ global_step: 2 }), { digest: true });
    expect(loadCheckpoint(file)).toMatchObject({ digest_verified: true, header: { global_step: 2 } });
    expect(fs.readFileSync(`${file}.sha256`, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('removes a sidecar that would no longer match when saving without a digest', () => {
    saveCheckpoint(file, sampleCheckpoint({ global_step: 1 }), { digest: true });
    saveCheckpoint(file, sampleCheckpoint({ global_step: 2 }));
    expect(fs.existsSync(`${file}.sha256`)).toBe(false);
    expect(loadCheckpoint(file)).toMatchObject({ digest_verified: null, header: { global_step: 2 } });
  });

  it('replaces an unreadable sidecar', () => {
    writeFixture(dir, 'policy-checkpoint.json.sha256', 'garbage');
    saveCheckpoint(file, sampleCheckpoint(), { digest: true });
    expect(loadCheckpoint(file).digest_verified).toBe(true);
  });

  it('refuses to write a checkpoint Tau would reject, leaving the old one', () => {
    saveCheckpoint(file, sampleCheckpoint({ run_id: 'old' }));
    let error: unknown;
    try {
      saveCheckpoint(file, sampleCheckpoint({ run_id: '   ' }));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CheckpointSaveError);
    expect(formatErrorChain(error)).toMatch(new RegExp(`^save checkpoint ${file}: refusing to write an invalid checkpoint: .*run_id`));
    expect(loadCheckpoint(file).header.run_id).toBe('old');
  });

  it('saves through a symlink into the file it points to', () => {
    writeFixture(dir, 'ckpt-1.json', sampleCheckpoint({ run_id: 'old' }));
    fs.symlinkSync('ckpt-1.json', file);
    saveCheckpoint(file, sampleCheckpoint({ run_id: 'new' }));
    expect(fs.lstatSync(file).isSymbolicLink()).toBe(true);
    expect(loadCheckpoint(path.join(dir, 'ckpt-1.json')).header.run_id).toBe('new');
  });
});
