import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replaceFileAtomically } from './atomic-replace.js';
import { DurableFsError } from './durable-fs-error.js';
import { errorChainText, thrownBy } from './test-support/thrown-error.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-replace-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('replaceFileAtomically', () => {
  it('creates a new file and leaves no temp file', () => {
    const target = path.join(dir, 'state.json');
    replaceFileAtomically(target, '{"a":1}');
    expect(fs.readFileSync(target, 'utf8')).toBe('{"a":1}');
    expect(fs.readdirSync(dir)).toEqual(['state.json']);
  });

  it('replaces an existing file with bytes, shorter than before', () => {
    const target = path.join(dir, 'state.json');
    fs.writeFileSync(target, 'x'.repeat(1000));
    replaceFileAtomically(target, new Uint8Array([0x68, 0x69]));
    expect(fs.readFileSync(target, 'utf8')).toBe('hi');
    expect(fs.readdirSync(dir)).toEqual(['state.json']);
  });

  it('keeps the permission bits of the file it replaces', () => {
    const target = path.join(dir, 'secret.json');
    fs.writeFileSync(target, 'old');
    fs.chmodSync(target, 0o600);
    replaceFileAtomically(target, 'new');
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
  });

  it('replaces the file a symlink points to and keeps the link', () => {
    const real = path.join(dir, 'ckpt-0001.json');
    const link = path.join(dir, 'current.json');
    fs.writeFileSync(real, 'old');
    fs.symlinkSync('ckpt-0001.json', link);
    replaceFileAtomically(link, 'new');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(real, 'utf8')).toBe('new');
  });

  it('fails with the path in context when the target is a directory, leaving no temp file', () => {
    const target = path.join(dir, 'taken');
    fs.mkdirSync(target);
    const error = thrownBy(() => replaceFileAtomically(target, 'data'));
    expect(error).toBeInstanceOf(DurableFsError);
    expect(errorChainText(error)).toBe(`replace file ${target}: it is a directory, not a regular file`);
    expect(fs.readdirSync(dir)).toEqual(['taken']);
  });

  it('refuses a dangling symlink before writing anything, creating nothing where it points', () => {
    const link = path.join(dir, 'state.json');
    const missing = path.join(dir, 'elsewhere', 'missing.json');
    fs.mkdirSync(path.dirname(missing));
    fs.symlinkSync(missing, link);
    expect(() => replaceFileAtomically(link, 'data')).toThrow(DurableFsError);
    expect(errorChainText(thrownBy(() => replaceFileAtomically(link, 'data')))).toBe(
      `replace file ${link}: it is a symbolic link to '${missing}', which does not exist`,
    );
    expect(fs.readlinkSync(link)).toBe(missing);
    expect(fs.readdirSync(dir).sort()).toEqual(['elsewhere', 'state.json']);
    expect(fs.readdirSync(path.dirname(missing))).toEqual([]);
  });

  it('refuses a symlink to a directory and a FIFO, leaving no temp file', () => {
    const toDir = path.join(dir, 'to-dir.json');
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.symlinkSync('sub', toDir);
    expect(errorChainText(thrownBy(() => replaceFileAtomically(toDir, 'x')))).toBe(
      `replace file ${toDir}: it is a symbolic link to 'sub', which is a directory, not a regular file`,
    );
    const fifo = path.join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    expect(errorChainText(thrownBy(() => replaceFileAtomically(fifo, 'x')))).toBe(
      `replace file ${fifo}: it is a FIFO, not a regular file`,
    );
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(['fifo.json', 'sub', 'to-dir.json']);
    expect(fs.readdirSync(path.join(dir, 'sub'))).toEqual([]);
  });

  it('writes an iterable of string and byte pieces as their concatenation', () => {
    const target = path.join(dir, 'report.json');
    fs.writeFileSync(target, 'old');
    replaceFileAtomically(target, ['{"a": "é', '\ud83d', '\ude00', Buffer.from('", "b": '), new Uint8Array([0x31]), '', '}']);
    expect(fs.readFileSync(target, 'utf8')).toBe('{"a": "é😀", "b": 1}');
    expect(fs.readdirSync(dir)).toEqual(['report.json']);
  });

  it('writes an empty iterable as an empty file', () => {
    const target = path.join(dir, 'empty');
    replaceFileAtomically(target, []);
    expect(fs.readFileSync(target)).toHaveLength(0);
  });

  it('streams: each piece is pulled only after the pieces before it are in the temp file', () => {
    const target = path.join(dir, 'big.json');
    const piece = 'x'.repeat(10_000);
    const sizesSeen: number[] = [];
    function* pieces(): Generator<string> {
      for (let index = 0; index < 5; index += 1) {
        const temp = fs.readdirSync(dir).filter((name) => name.startsWith('.big.json.tmp-'));
        expect(temp).toHaveLength(1);
        sizesSeen.push(fs.statSync(path.join(dir, temp[0] as string)).size);
        yield piece;
      }
    }
    replaceFileAtomically(target, pieces());
    expect(sizesSeen).toEqual([0, 10_000, 20_000, 30_000, 40_000]);
    expect(fs.readFileSync(target, 'utf8')).toBe(piece.repeat(5));
  });

  it('a piece that throws fails the replace, keeps the old file and leaves no temp file', () => {
    const target = path.join(dir, 'state.json');
    fs.writeFileSync(target, 'old');
    function* pieces(): Generator<string> {
      yield 'new, half';
      throw new Error('serializer broke');
    }
    const error = thrownBy(() => replaceFileAtomically(target, pieces()));
    expect(error).toBeInstanceOf(DurableFsError);
    expect(errorChainText(error)).toBe(`replace file ${target}: serializer broke`);
    expect(fs.readFileSync(target, 'utf8')).toBe('old');
    expect(fs.readdirSync(dir)).toEqual(['state.json']);
  });

  it('fails when the directory does not exist', () => {
    expect(() => replaceFileAtomically(path.join(dir, 'missing', 'f.json'), 'x')).toThrow(DurableFsError);
  });
});
