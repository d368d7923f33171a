import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renameFileDurably } from './durable-rename.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-rename-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('renameFileDurably', () => {
  it('replaces the target with the source', () => {
    fs.writeFileSync(path.join(dir, 'a'), 'new');
    fs.writeFileSync(path.join(dir, 'b'), 'old');
    renameFileDurably(path.join(dir, 'a'), path.join(dir, 'b'));
    expect(fs.readFileSync(path.join(dir, 'b'), 'utf8')).toBe('new');
    expect(fs.existsSync(path.join(dir, 'a'))).toBe(false);
  });

  it('a missing source fails with the paths in the message', () => {
    expect(() => renameFileDurably(path.join(dir, 'nope'), path.join(dir, 'b'))).toThrow(/rename .*nope to .*b/);
  });
});
