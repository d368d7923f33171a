import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeStaleTempFiles, TEMP_FILE_MAX_AGE_MS } from './stale-temp-files.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-temp-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid as number;
}

describe('removeStaleTempFiles', () => {
  it('removes temp files of dead writers and keeps everything else', () => {
    const dead = deadPid();
    const names = {
      deadWriter: `.control-state.json.tmp-${dead}-a1b2c3`,
      liveWriter: `.control-state.json.tmp-${process.ppid}-d4e5f6`,
      ownWriter: `.status.json.tmp-${process.pid}-0f0f0f`,
      notOurs: 'control-state.json.tmp-1-abc',
      data: 'control-state.json',
    };
    for (const name of Object.values(names)) fs.writeFileSync(path.join(dir, name), 'x');
    expect(removeStaleTempFiles(dir)).toEqual([path.join(dir, names.deadWriter)]);
    expect(fs.readdirSync(dir).sort()).toEqual(
      [names.liveWriter, names.ownWriter, names.notOurs, names.data].sort(),
    );
  });

  it('removes a temp file older than the age limit even if its pid is alive (pid reuse)', () => {
    const name = `.x.json.tmp-${process.ppid}-abcdef`;
    const file = path.join(dir, name);
    fs.writeFileSync(file, 'x');
    const past = (Date.now() - TEMP_FILE_MAX_AGE_MS - 60_000) / 1000;
    fs.utimesSync(file, past, past);
    expect(removeStaleTempFiles(dir)).toEqual([file]);
  });

  it('returns nothing for a missing directory', () => {
    expect(removeStaleTempFiles(path.join(dir, 'missing'))).toEqual([]);
  });
});
