import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { observeWriteTarget, writeTargetProblem, type WriteTargetObservation } from './write-target.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-write-target-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('observeWriteTarget', () => {
  it('sees nothing, a file, a directory, and links by what they reach', () => {
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    fs.mkdirSync(path.join(dir, 'dir'));
    fs.symlinkSync('file', path.join(dir, 'to-file'));
    fs.symlinkSync('nowhere', path.join(dir, 'dangling'));
    fs.symlinkSync('loop-b', path.join(dir, 'loop-a'));
    fs.symlinkSync('loop-a', path.join(dir, 'loop-b'));
    fs.symlinkSync('file/below', path.join(dir, 'through-file'));
    const seen = (name: string) => observeWriteTarget(path.join(dir, name));
    expect(seen('absent')).toEqual({ entry: 'absent' });
    expect(seen('file')).toEqual({ entry: 'file' });
    expect(seen('dir')).toEqual({ entry: 'directory' });
    expect(seen('to-file')).toEqual({ entry: 'symlink', link: { text: 'file', resolves_to: 'file' } });
    expect(seen('dangling')).toEqual({ entry: 'symlink', link: { text: 'nowhere', resolves_to: 'absent' } });
    expect(seen('loop-a')).toEqual({ entry: 'symlink', link: { text: 'loop-b', resolves_to: 'loop' } });
    expect(seen('through-file')).toEqual({ entry: 'symlink', link: { text: 'file/below', resolves_to: 'absent' } });
  });
});

describe('writeTargetProblem', () => {
  it.each<[WriteTargetObservation, string | null]>([
    [{ entry: 'absent' }, null],
    [{ entry: 'file' }, null],
    [{ entry: 'symlink', link: { text: 'real.json', resolves_to: 'file' } }, null],
    [{ entry: 'directory' }, 'it is a directory, not a regular file'],
    [{ entry: 'fifo' }, 'it is a FIFO, not a regular file'],
    [{ entry: 'socket' }, 'it is a socket, not a regular file'],
    [{ entry: 'symlink', link: { text: '/nowhere', resolves_to: 'absent' } }, "it is a symbolic link to '/nowhere', which does not exist"],
    [{ entry: 'symlink', link: { text: 'a', resolves_to: 'loop' } }, "it is a symbolic link to 'a' in a loop of links"],
    [
      { entry: 'symlink', link: { text: '/dev/null', resolves_to: 'character-device' } },
      "it is a symbolic link to '/dev/null', which is a character device, not a regular file",
    ],
    [{ entry: 'symlink', link: { text: 'd', resolves_to: 'directory' } }, "it is a symbolic link to 'd', which is a directory, not a regular file"],
  ])('%j -> %s', (observation, problem) => {
    expect(writeTargetProblem(observation)).toBe(problem);
  });
});
