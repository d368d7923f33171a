import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FileTooLargeError,
  NotRegularFileError,
  SMALL_FILE_MAX_BYTES,
  openRegularFile,
  readRegularFile,
  readRegularFileIfExists,
} from './regular-file-read.js';
import { describeFileKind, type FileKind } from './file-kind.js';

let dir: string;
let socketServer: net.Server;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regular-file-read-'));
  fs.writeFileSync(path.join(dir, 'small.json'), '{"a":1}');
  fs.writeFileSync(path.join(dir, 'empty'), '');
  fs.mkdirSync(path.join(dir, 'directory'));
  execFileSync('mkfifo', [path.join(dir, 'fifo')]);
  fs.symlinkSync('/dev/zero', path.join(dir, 'link-to-zero'));
  fs.symlinkSync(path.join(dir, 'small.json'), path.join(dir, 'link-to-small'));
  fs.symlinkSync(path.join(dir, 'fifo'), path.join(dir, 'link-to-fifo'));
  fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling'));
  // Sparse: the cap's worth of size costs no disk.
  fs.closeSync(fs.openSync(path.join(dir, 'at-cap'), 'w'));
  fs.truncateSync(path.join(dir, 'at-cap'), SMALL_FILE_MAX_BYTES);
  fs.closeSync(fs.openSync(path.join(dir, 'above-cap'), 'w'));
  fs.truncateSync(path.join(dir, 'above-cap'), SMALL_FILE_MAX_BYTES + 1);
  socketServer = net.createServer();
  await new Promise<void>((resolve) => socketServer.listen(path.join(dir, 'socket'), resolve));
});

afterAll(async () => {
  await new Promise<void>((resolve) => socketServer.close(() => resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
});

// Every kind of thing that can sit at a path, and what a read must do with it.
const REFUSED: Array<{ name: string; kind: FileKind; noFollow?: boolean }> = [
  { name: 'directory', kind: 'directory' },
  { name: 'fifo', kind: 'fifo' },
  { name: 'socket', kind: 'socket' },
  { name: 'link-to-zero', kind: 'character-device' },
  { name: 'link-to-fifo', kind: 'fifo' },
  { name: 'link-to-small', kind: 'symlink', noFollow: true },
];

describe('readRegularFile refuses what is not a regular file, without blocking', () => {
  it.each(REFUSED)('$name is refused as a $kind', ({ name, kind, noFollow }) => {
    const target = path.join(dir, name);
    const read = () => readRegularFile(target, noFollow === true ? { noFollow } : {});
    expect(read).toThrow(NotRegularFileError);
    try {
      read();
    } catch (error) {
      expect((error as NotRegularFileError).kind).toBe(kind);
      expect((error as Error).message).toBe(`the path is ${describeFileKind(kind)}, not a regular file`);
    }
    // The same answer through the "if exists" form: present but wrong is never "absent".
    expect(() => readRegularFileIfExists(target, noFollow === true ? { noFollow } : {})).toThrow(NotRegularFileError);
  });

  it('leaves no descriptor open after a refusal', () => {
    const before = fs.readdirSync('/proc/self/fd').length;
    for (let i = 0; i < 20; i += 1) for (const { name } of REFUSED) expect(() => readRegularFile(path.join(dir, name), { noFollow: true })).toThrow();
    expect(fs.readdirSync('/proc/self/fd').length).toBe(before);
  });
});

describe('readRegularFile reads regular files up to the cap', () => {
  it('reads a small file, an empty file and a link to a file', () => {
    expect(readRegularFile(path.join(dir, 'small.json')).toString()).toBe('{"a":1}');
    expect(readRegularFile(path.join(dir, 'empty')).length).toBe(0);
    expect(readRegularFile(path.join(dir, 'link-to-small')).toString()).toBe('{"a":1}');
  });

  it('reads a file of exactly the cap and refuses one byte more, unread', () => {
    expect(readRegularFile(path.join(dir, 'at-cap')).length).toBe(SMALL_FILE_MAX_BYTES);
    expect(() => readRegularFile(path.join(dir, 'above-cap'))).toThrow(FileTooLargeError);
    expect(() => readRegularFile(path.join(dir, 'small.json'), { maxBytes: 6 })).toThrow(/^the file is 7 bytes, above the 6-byte cap/);
    expect(readRegularFile(path.join(dir, 'small.json'), { maxBytes: 7 }).length).toBe(7);
  });

  it('missing and dangling paths are absent for the "if exists" form, an ENOENT otherwise', () => {
    expect(readRegularFileIfExists(path.join(dir, 'missing'))).toBeUndefined();
    expect(readRegularFileIfExists(path.join(dir, 'dangling'))).toBeUndefined();
    expect(() => readRegularFile(path.join(dir, 'missing'))).toThrow(expect.objectContaining({ code: 'ENOENT' }) as Error);
  });

  it('openRegularFile hands back an open descriptor of a regular file', () => {
    const { fd, stats } = openRegularFile(path.join(dir, 'small.json'));
    try {
      expect(stats.size).toBe(7);
      expect(fs.fstatSync(fd).ino).toBe(stats.ino);
    } finally {
      fs.closeSync(fd);
    }
    expect(() => openRegularFile(path.join(dir, 'fifo'), { write: true })).toThrow(NotRegularFileError);
    expect(() => openRegularFile(path.join(dir, 'directory'), { write: true })).toThrow(NotRegularFileError);
  });
});
