import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_POLICY_FILE_BYTES, loadRbacPolicy } from './rbac-policy-loading.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-rbac-special-'));
const fifo = path.join(dir, 'fifo.json');
execFileSync('mkfifo', [fifo]);
const big = path.join(dir, 'big.json');
fs.writeFileSync(big, '');
fs.truncateSync(big, MAX_POLICY_FILE_BYTES + 1);
const socketPath = path.join(dir, 'sock.json');
const server = net.createServer().listen(socketPath);
const linkToFifo = path.join(dir, 'link-to-fifo.json');
fs.symlinkSync(fifo, linkToFifo);
afterAll(() => {
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function chainOf(policyPath: string): Promise<string> {
  try {
    await loadRbacPolicy(policyPath);
  } catch (error) {
    const parts: string[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause) parts.push(e.message);
    return parts.join(': ');
  }
  return 'loaded';
}

describe('policy paths that are not regular files are refused without blocking', () => {
  it.each([
    ['a FIFO', fifo, 'the path is a FIFO, not a regular file'],
    ['a symlink to a FIFO', linkToFifo, 'the path is a FIFO, not a regular file'],
    ['a socket', socketPath, 'the path is a socket, not a regular file'],
    ['/dev/zero', '/dev/zero', 'the path is a character device, not a regular file'],
    ['a directory', dir, 'the path is a directory, not a regular file'],
    ['an oversized file', big, `the file is ${MAX_POLICY_FILE_BYTES + 1} bytes, above the ${MAX_POLICY_FILE_BYTES}-byte cap for this file`],
  ])('%s', async (_name, policyPath, detail) => {
    const chain = await chainOf(policyPath);
    expect(chain.startsWith(`failed to read rbac policy file ${policyPath}: `)).toBe(true);
    if (detail !== undefined) expect(chain).toBe(`failed to read rbac policy file ${policyPath}: ${detail}`);
  });
});
