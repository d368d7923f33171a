import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { truncateFileDurably } from './durable-truncate.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-truncate-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('truncateFileDurably', () => {
  it('cuts a file to the given length', () => {
    const file = path.join(dir, 'log');
    fs.writeFileSync(file, 'complete\ntorn');
    truncateFileDurably(file, 9);
    expect(fs.readFileSync(file, 'utf8')).toBe('complete\n');
  });

  it('does not create a missing file', () => {
    const file = path.join(dir, 'missing');
    expect(() => truncateFileDurably(file, 0)).toThrow(`truncate ${file} to 0 bytes`);
    expect(fs.existsSync(file)).toBe(false);
  });
});
