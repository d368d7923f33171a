import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendLineDurably } from './durable-append.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-append-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('appendLineDurably', () => {
  it('creates the file and appends lines, adding the newline when missing', () => {
    const log = path.join(dir, 'audit.jsonl');
    appendLineDurably(log, '{"n":1}');
    appendLineDurably(log, '{"n":2}\n');
    appendLineDurably(log, Buffer.from('{"n":3}'));
    expect(fs.readFileSync(log, 'utf8')).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
  });

  it('appends after existing content without touching it', () => {
    const log = path.join(dir, 'audit.jsonl');
    fs.writeFileSync(log, 'first\n');
    appendLineDurably(log, 'second');
    expect(fs.readFileSync(log, 'utf8')).toBe('first\nsecond\n');
  });

  it('refuses a line with an embedded newline and writes nothing', () => {
    const log = path.join(dir, 'audit.jsonl');
    expect(() => appendLineDurably(log, 'a\nb')).toThrow(`append line to ${log}`);
    expect(fs.existsSync(log)).toBe(false);
  });
});
