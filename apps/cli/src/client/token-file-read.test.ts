import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatErrorChain } from '@tau/schemas';
import { readToken, readTokenFile, TOKEN_FILE_MAX_BYTES } from './token-file-read.js';

const TOKEN = 'tpo_0123456789ab_AbC-_xyz';
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-po-token-file-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The error line tau-po prints (the cause chain). */
function failureOf(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    return formatErrorChain(error);
  }
  throw new Error('expected a failure');
}

function file(name: string, content: string | Buffer): string {
  const filePath = path.join(dir, name);
  fs.writeFileSync(filePath, content);
  return filePath;
}

describe('readTokenFile', () => {
  it.each([TOKEN, `${TOKEN}\n`, `  ${TOKEN}\r\n\n`, `\t${TOKEN} `])('trims %j', (content) => {
    expect(readTokenFile(file('t', content))).toBe(TOKEN);
  });

  it.each([
    ['empty', '', /is empty/],
    ['blank', ' \n\t', /is empty/],
    ['two lines', `${TOKEN}\n${TOKEN}`, /does not hold one token/],
    ['a space inside', 'tpo_a b', /does not hold one token/],
    ['a control character', 'tpo_a\u0000b', /does not hold one token/],
    ['non-ASCII', 'tpo_é', /does not hold one token/],
    ['too large', 'x'.repeat(TOKEN_FILE_MAX_BYTES + 1), /above the 4096-byte cap/],
  ])('refuses %s', (_name, content, message) => {
    expect(failureOf(() => readTokenFile(file('t', content)))).toMatch(message);
  });

  it('refuses a directory, a FIFO and /dev/zero (regular files only, never hangs)', () => {
    expect(failureOf(() => readTokenFile(dir))).toBe(`cannot read token file '${dir}': the path is a directory, not a regular file`);
    expect(failureOf(() => readTokenFile('/dev/zero'))).toMatch(/^cannot read token file '\/dev\/zero': the path is .*, not a regular file$/);
    const fifo = path.join(dir, 'fifo');
    // Node cannot make a FIFO; mkfifo(1) can.
    execFileSync('mkfifo', [fifo]);
    expect(failureOf(() => readTokenFile(fifo))).toMatch(/not a regular file$/);
  });

  it('names a missing file and escapes its name', () => {
    expect(() => readTokenFile(path.join(dir, 'missing\nfile'))).toThrow("cannot read token file '" + path.join(dir, 'missing\\nfile') + "'");
  });

  it('follows a symbolic link to a regular file (secrets are often mounted that way)', () => {
    const target = file('real', TOKEN);
    fs.symlinkSync(target, path.join(dir, 'link'));
    expect(readTokenFile(path.join(dir, 'link'))).toBe(TOKEN);
  });
});

describe('readToken', () => {
  it('checks TAU_PO_TOKEN the same way', () => {
    expect(readToken({ kind: 'value', token: ` ${TOKEN}\n` })).toBe(TOKEN);
    expect(() => readToken({ kind: 'value', token: 'a\nb' })).toThrow('TAU_PO_TOKEN does not hold one token');
  });
});
