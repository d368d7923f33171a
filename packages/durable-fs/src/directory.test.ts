import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureDirectory, fsyncDirectory } from './directory.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-dir-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('ensureDirectory', () => {
  it('creates nested directories and accepts an existing one', () => {
    const nested = path.join(dir, 'a', 'b', 'c');
    ensureDirectory(nested);
    expect(fs.statSync(nested).isDirectory()).toBe(true);
    ensureDirectory(nested);
    ensureDirectory(path.join(dir, 'a'));
  });

  it('fails when a file is in the way', () => {
    const file = path.join(dir, 'file');
    fs.writeFileSync(file, '');
    expect(() => ensureDirectory(file)).toThrow(`create directory ${file}`);
    expect(() => ensureDirectory(path.join(file, 'sub'))).toThrow(/create directory/);
  });
});

describe('fsyncDirectory', () => {
  it('fsyncs an existing directory and names a missing one', () => {
    fsyncDirectory(dir);
    expect(() => fsyncDirectory(path.join(dir, 'nope'))).toThrow(`fsync directory ${path.join(dir, 'nope')}`);
  });
});
