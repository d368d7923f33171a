import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { formatErrorChain } from '@tau/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointDigestError, CheckpointFormatError } from './checkpoint-errors.js';
import { loadCheckpoint } from './load-checkpoint.js';
import { FAST_PATH_MAX_BYTES, READ_CHUNK_BYTES } from './read-checkpoint-file.js';
import { makeTempDir, sampleCheckpoint, writeFixture } from './test-support/checkpoint-fixtures.js';

let dir: string;
beforeEach(() => {
  dir = makeTempDir('tau-checkpoint-load-');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function loadError(filePath: string): Error {
  try {
    loadCheckpoint(filePath);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`expected loading ${filePath} to fail`);
}

function rawCheckpoint(fields: Record<string, string>): string {
  const base: Record<string, string> = {
    checkpoint_version: '1',
    run_id: '"run-42"',
    policy_state: '{}',
    optimizer_state: '{}',
    global_step: '1',
    optimizer_step: '2',
    saved_at_unix_seconds: '3',
  };
  const merged = { ...base, ...fields };
  return `{${Object.entries(merged).filter(([, v]) => v !== '').map(([k, v]) => `"${k}":${v}`).join(',')}}`;
}

describe('loadCheckpoint', () => {
  it('returns the header, size and state sizes of a valid checkpoint', () => {
    const file = writeFixture(dir, 'policy-checkpoint.json', sampleCheckpoint());
    const loaded = loadCheckpoint(file);
    expect(loaded).toEqual({
      path: file,
      header: { checkpoint_version: 1, run_id: 'run-42', global_step: 120, optimizer_step: 118, saved_at_unix_seconds: 1_700_000_000 },
      bytes: fs.statSync(file).size,
      digest_verified: null,
      sha256: null,
      state_bytes: {
        policy_state: JSON.stringify(sampleCheckpoint().policy_state, null, 2).replace(/\n/g, '\n  ').length,
        optimizer_state: JSON.stringify(sampleCheckpoint().optimizer_state, null, 2).replace(/\n/g, '\n  ').length,
      },
    });
  });

  it('ignores unknown top-level keys, as Tau does', () => {
    const file = writeFixture(dir, 'c.json', sampleCheckpoint({ trainer: { name: 'x' }, notes: [1, 2] }));
    expect(loadCheckpoint(file).header.run_id).toBe('run-42');
  });

  it.each([
    ['unsupported version', { checkpoint_version: '2' }, 'unsupported checkpoint_version 2; expected 1'],
    ['blank run_id', { run_id: '"  \\t "' }, 'checkpoint field `run_id` must not be empty'],
    ['non-string run_id', { run_id: '42' }, 'checkpoint field `run_id` must be a string, got 42'],
    ['array policy_state', { policy_state: '[1,2]' }, '`policy_state` must be a JSON object'],
    ['string optimizer_state', { optimizer_state: '"adam"' }, '`optimizer_state` must be a JSON object'],
    ['null policy_state', { policy_state: 'null' }, '`policy_state` must be a JSON object'],
    ['missing run_id', { run_id: '' }, 'missing required checkpoint field `run_id`'],
    ['missing saved_at', { saved_at_unix_seconds: '' }, 'missing required checkpoint field `saved_at_unix_seconds`'],
    ['step above 2^53-1', { global_step: '9007199254740992' }, 'checkpoint field `global_step` integer 9007199254740992 exceeds 2^53-1 (9007199254740991)'],
    ['u64 max', { optimizer_step: '18446744073709551615' }, 'checkpoint field `optimizer_step` integer 18446744073709551615 exceeds 2^53-1 (9007199254740991)'],
    ['negative step', { global_step: '-1' }, 'checkpoint field `global_step` must be a non-negative integer, got -1'],
    ['float step', { global_step: '1.0' }, 'checkpoint field `global_step` must be a non-negative integer, got 1.0'],
    ['string version', { checkpoint_version: '"1"' }, 'checkpoint field `checkpoint_version` must be a non-negative integer, got "1"'],
  ])('rejects %s with Tau\'s message', (_name, fields, detail) => {
    const file = writeFixture(dir, 'c.json', rawCheckpoint(fields));
    const error = loadError(file);
    // Tau wraps only reading and parsing; a broken rule is bare (REFERENCE.md).
    expect(error).toBeInstanceOf(CheckpointFormatError);
    expect(formatErrorChain(error)).toBe(detail);
  });

  it('accepts the largest safe integer exactly', () => {
    const file = writeFixture(dir, 'c.json', rawCheckpoint({ global_step: '9007199254740991' }));
    expect(loadCheckpoint(file).header.global_step).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('rejects a duplicated checkpoint field and a duplicated unknown key, however spelled', () => {
    const duplicated = writeFixture(dir, 'd.json', rawCheckpoint({}).replace(/}$/, ',"run_id":"other"}'));
    expect(formatErrorChain(loadError(duplicated))).toBe(`parse checkpoint JSON ${duplicated}: duplicate checkpoint field \`run_id\``);
    const escaped = writeFixture(dir, 'e.json', rawCheckpoint({}).replace(/}$/, ',"run\\u005fid":"other"}'));
    expect(formatErrorChain(loadError(escaped))).toContain('duplicate checkpoint field `run_id`');
    const unknown = writeFixture(dir, 'u.json', rawCheckpoint({}).replace(/}$/, ',"x":1,"\\u0078":2}'));
    expect(formatErrorChain(loadError(unknown))).toBe(`parse checkpoint JSON ${unknown}: duplicate checkpoint key "x"`);
    const proto = writeFixture(dir, 'p.json', rawCheckpoint({}).replace(/}$/, ',"__proto__":1,"__proto__":2}'));
    expect(formatErrorChain(loadError(proto))).toBe(`parse checkpoint JSON ${proto}: duplicate checkpoint key "__proto__"`);
    const once = writeFixture(dir, 'o.json', rawCheckpoint({}).replace(/}$/, ',"__proto__":1,"constructor":2}'));
    expect(loadCheckpoint(once).header.run_id).toBe('run-42');
  });

  it('rejects a payload that is not an object', () => {
    const file = writeFixture(dir, 'c.json', '[{"checkpoint_version":1}]');
    expect(formatErrorChain(loadError(file))).toBe('checkpoint payload must be a JSON object');
  });

  it('reports a 0-byte file as empty', () => {
    const file = writeFixture(dir, 'c.json', '');
    expect(formatErrorChain(loadError(file))).toBe(`parse checkpoint JSON ${file}: file is empty at line 1, column 1 (byte 0)`);
  });

  it('reports where a syntax error is', () => {
    const file = writeFixture(dir, 'c.json', '{\n  "run_id": "x",\n  "global_step": 01\n}');
    expect(formatErrorChain(loadError(file))).toBe(
      `parse checkpoint JSON ${file}: number with a leading zero at line 3, column 19 (byte 37)`,
    );
  });

  it('reports a truncated file', () => {
    const text = JSON.stringify(sampleCheckpoint(), null, 2);
    const file = writeFixture(dir, 'c.json', text.slice(0, 50));
    expect(formatErrorChain(loadError(file))).toMatch(
      new RegExp(`^parse checkpoint JSON ${file}: unexpected end of JSON input at line \\d+, column \\d+ \\(byte 50\\)$`),
    );
  });

  it('refuses a directory where the file should be', () => {
    const target = path.join(dir, 'policy-checkpoint.json');
    fs.mkdirSync(target);
    expect(formatErrorChain(loadError(target))).toBe(`read checkpoint ${target}: the path is a directory, not a regular file`);
  });

  it('reports a missing file as a read failure', () => {
    const target = path.join(dir, 'missing.json');
    const error = loadError(target);
    expect(error.message).toBe(`read checkpoint ${target}`);
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('follows a symlinked checkpoint, and reports a dangling link as missing', () => {
    writeFixture(dir, 'ckpt-0007.json', sampleCheckpoint({ run_id: 'linked' }));
    const link = path.join(dir, 'policy-checkpoint.json');
    fs.symlinkSync('ckpt-0007.json', link);
    expect(loadCheckpoint(link)).toMatchObject({ path: link, header: { run_id: 'linked' } });
    fs.rmSync(path.join(dir, 'ckpt-0007.json'));
    expect((loadError(link).cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('refuses a FIFO without hanging', () => {
    const fifo = path.join(dir, 'fifo.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(formatErrorChain(loadError(fifo))).toBe(`read checkpoint ${fifo}: the path is a FIFO, not a regular file`);
  });
});

describe('loadCheckpoint on files above the fast-path size (streaming)', () => {
  function bigCheckpoint(keyOffset: number, tail: string): Buffer {
    // Padding inside policy_state places the next key across a chunk boundary.
    const head = '{"checkpoint_version":1,"run_id":"big","policy_state":{"pad":"';
    const afterPad = '"},"optimizer_state":{},"global_step"';
    const padLength = keyOffset - head.length - afterPad.indexOf('"global_step"');
    const text = `${head}${'x'.repeat(padLength)}${afterPad}${tail}`;
    return Buffer.from(`${text}${' '.repeat(Math.max(0, FAST_PATH_MAX_BYTES + 1 - text.length))}`);
  }

  it('extracts fields whose keys and values straddle read chunks', () => {
    const bytes = bigCheckpoint(READ_CHUNK_BYTES * 5 - 5, ':77,"optimizer_step":8,"saved_at_unix_seconds":9}');
    const file = writeFixture(dir, 'big.json', bytes);
    const loaded = loadCheckpoint(file);
    expect(loaded.header).toEqual({ checkpoint_version: 1, run_id: 'big', global_step: 77, optimizer_step: 8, saved_at_unix_seconds: 9 });
    expect(loaded.bytes).toBe(bytes.length);
  });

  it('gives the same messages as the fast path', () => {
    const bytes = bigCheckpoint(READ_CHUNK_BYTES * 5 - 5, ':77,"optimizer_step":8,"saved_at_unix_seconds":9007199254740993}');
    const file = writeFixture(dir, 'big.json', bytes);
    expect(formatErrorChain(loadError(file))).toBe(
      `checkpoint field \`saved_at_unix_seconds\` integer 9007199254740993 exceeds 2^53-1 (9007199254740991)`,
    );
    const cut = READ_CHUNK_BYTES * 5 - 2; // inside the key "global_step"
    expect(cut).toBeGreaterThan(FAST_PATH_MAX_BYTES);
    const truncated = writeFixture(dir, 'truncated.json', bytes.subarray(0, cut));
    expect(formatErrorChain(loadError(truncated))).toBe(
      `parse checkpoint JSON ${truncated}: unexpected end of JSON input at line 1, column ${cut + 1} (byte ${cut})`,
    );
  });
});

describe('loadCheckpoint with a sha256 sidecar', () => {
  it('verifies a matching digest', () => {
    const file = writeFixture(dir, 'c.json', sampleCheckpoint());
    const sha = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    fs.writeFileSync(`${file}.sha256`, `${sha}  c.json\n`);
    expect(loadCheckpoint(file)).toMatchObject({ digest_verified: true, sha256: sha });
  });

  it('treats a mismatch as corruption and says what each side says', () => {
    const file = writeFixture(dir, 'c.json', sampleCheckpoint());
    const sha = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const wrong = 'ab'.repeat(32);
    fs.writeFileSync(`${file}.sha256`, `${wrong}  c.json\n`);
    const error = loadError(file);
    expect(error).toBeInstanceOf(CheckpointDigestError);
    expect(formatErrorChain(error)).toBe(`checkpoint digest mismatch: ${file}.sha256 says ${wrong}, file hashes to ${sha}`);
  });

  it('refuses a malformed sidecar', () => {
    const file = writeFixture(dir, 'c.json', sampleCheckpoint());
    fs.writeFileSync(`${file}.sha256`, 'not a digest\n');
    expect(formatErrorChain(loadError(file))).toBe(
      `read checkpoint digest ${file}.sha256: expected lines of "<64 hex digits>  <file name>" (sha256sum format)`,
    );
  });
});
