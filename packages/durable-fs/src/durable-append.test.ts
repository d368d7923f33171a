import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendLineDurably } from './durable-append.js';
import { DurableFsError } from './durable-fs-error.js';
import { errorChainText, thrownBy } from './test-support/thrown-error.js';

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

  it('follows a symlink to a regular file: the file grows, the link stays', () => {
    const real = path.join(dir, 'real.jsonl');
    const link = path.join(dir, 'audit.jsonl');
    fs.writeFileSync(real, 'first\n');
    fs.symlinkSync('real.jsonl', link);
    appendLineDurably(link, 'second');
    expect(fs.readFileSync(real, 'utf8')).toBe('first\nsecond\n');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('refuses a dangling symlink instead of creating the file it names', () => {
    const missing = path.join(dir, 'elsewhere', 'missing.jsonl');
    fs.mkdirSync(path.dirname(missing));
    const link = path.join(dir, 'audit.jsonl');
    fs.symlinkSync(missing, link);
    const error = thrownBy(() => appendLineDurably(link, 'row'));
    expect(error).toBeInstanceOf(DurableFsError);
    expect(errorChainText(error)).toBe(
      `append line to ${link}: it is a symbolic link to '${missing}', which does not exist`,
    );
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('refuses a character device (a row appended to /dev/null would be lost)', () => {
    const devNull = path.join(dir, 'null.jsonl');
    fs.symlinkSync('/dev/null', devNull);
    expect(errorChainText(thrownBy(() => appendLineDurably(devNull, 'row')))).toBe(
      `append line to ${devNull}: it is a symbolic link to '/dev/null', which is a character device, not a regular file`,
    );
  });

  it('refuses a line with an embedded newline and writes nothing', () => {
    const log = path.join(dir, 'audit.jsonl');
    expect(() => appendLineDurably(log, 'a\nb')).toThrow(`append line to ${log}`);
    expect(fs.existsSync(log)).toBe(false);
  });
});
