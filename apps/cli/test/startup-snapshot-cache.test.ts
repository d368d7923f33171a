// Fast start anywhere: an install of the CLI (dist/ copied elsewhere, as from
// the tarball, without any snapshot) run by a Node binary at another path
// builds its own snapshot on first use, in the background, and starts from it
// next time; an unreadable blob is ignored (the plain bundle runs, output
// unchanged) and rebuilt. Real processes, a real copy of the node binary.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_DIR, runTauPo, type TauPoRun } from './built-cli.js';

const SHIPPED = ['tau-po', 'tau-po.js', 'tau-po.cjs', 'tau-po-server.cjs', 'tau-po-snapshot-cache.mjs'];

let scratch: string;
let install: string;
let nodeBin: string;
let cacheHome: string;

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-po-snapshot-cache-'));
  install = path.join(scratch, 'lib', 'tau-cli', 'dist');
  fs.mkdirSync(install, { recursive: true });
  for (const file of SHIPPED) fs.copyFileSync(path.join(APP_DIR, 'dist', file), path.join(install, file));
  for (const file of ['tau-po', 'tau-po.js']) fs.chmodSync(path.join(install, file), 0o755);
  fs.mkdirSync(path.join(scratch, 'othernode', 'bin'), { recursive: true });
  nodeBin = path.join(scratch, 'othernode', 'bin', 'node');
  fs.copyFileSync(process.execPath, nodeBin);
  fs.chmodSync(nodeBin, 0o755);
  cacheHome = path.join(scratch, 'cache');
  // npm's global bin: a symlink to the launcher, followed without readlink -f.
  fs.mkdirSync(path.join(scratch, 'bin'));
  fs.symlinkSync(path.join('..', 'lib', 'tau-cli', 'dist', 'tau-po'), path.join(scratch, 'bin', 'tau-po'));
});

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function traced(args: readonly string[]): TauPoRun {
  return runTauPo(args, {
    command: 'sh',
    commandArgs: ['-x', path.join(scratch, 'bin', 'tau-po')],
    env: { PATH: `${path.dirname(nodeBin)}:${process.env['PATH'] ?? ''}`, XDG_CACHE_HOME: cacheHome, HOME: scratch },
  });
}

function blobs(root: string): string[] {
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) return [];
  return fs
    .readdirSync(root)
    .flatMap((key) => fs.readdirSync(path.join(root, key)).filter((entry) => !entry.startsWith('.')).map((entry) => path.join(root, key, entry, 'tau-po.blob')))
    .filter((blob) => fs.existsSync(blob));
}

/** Waits (up to 90 s) for the background builder to leave a blob other than `previous`. */
function waitForNewBlob(root: string, previous: readonly string[]): string {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const fresh = blobs(root).filter((blob) => !previous.includes(blob) && fs.statSync(blob).size > 0);
    if (fresh.length > 0) return fresh[0]!;
    if (Date.now() > deadline) throw new Error(`no snapshot built under ${root}`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
}

/** `snapshots/<bundle key>/<entry>/tau-po.blob`: the launcher reaches the package through the bin symlink (`bin/../lib/...`). */
function entryOf(blob: string): string {
  return blob.split(path.sep).slice(-4).join('/');
}

/** The bundle as the launcher names it (through the bin symlink). */
const launcherBundle = () => `${scratch}/bin/../lib/tau-cli/dist/tau-po.cjs`;

/** What the user sees: stdout and status (the trace on stderr differs by design). */
function outcome(run: TauPoRun) {
  return { status: run.status, stdout: run.stdout };
}

describe('startup snapshot built on first use', () => {
  it('by a Node at another path, in the package directory, then used; the plain run printed the same', () => {
    const first = traced(['--version']);
    expect(first.stderr).toContain(`exec ${nodeBin} ${launcherBundle()} --version`);
    const blob = waitForNewBlob(path.join(install, 'snapshots'), []);
    const second = traced(['--version']);
    expect(second.stderr).toMatch(new RegExp(`exec ${nodeBin} --snapshot-blob \\S+/${entryOf(blob)} -- --version`));
    expect(outcome(second)).toEqual(outcome(first));
    expect(first.stdout).toMatch(/^\d+\.\d+\.\d+/);
  }, 120_000);

  it('in the user cache when the package directory cannot hold it; an unreadable blob is ignored and rebuilt', () => {
    fs.rmSync(path.join(install, 'snapshots'), { recursive: true, force: true });
    fs.writeFileSync(path.join(install, 'snapshots'), 'not a directory');
    const userRoot = path.join(cacheHome, 'tau-po', 'snapshots');
    const args = ['resume', '--help'];
    const plain = traced(args);
    expect(plain.stderr).toContain(`exec ${nodeBin} ${launcherBundle()} resume --help`);
    const blob = waitForNewBlob(userRoot, []);
    expect(traced(args).stderr).toContain(`--snapshot-blob ${blob} --`);

    fs.truncateSync(blob, 0);
    const ignoring = traced(args);
    expect(ignoring.stderr).toContain(`exec ${nodeBin} ${launcherBundle()} resume --help`);
    expect(outcome(ignoring)).toEqual(outcome(plain));
    const rebuilt = waitForNewBlob(userRoot, [blob]);
    expect(fs.existsSync(blob)).toBe(false);
    const fromRebuilt = traced(args);
    expect(fromRebuilt.stderr).toContain(`--snapshot-blob ${rebuilt} --`);
    expect(outcome(fromRebuilt)).toEqual(outcome(plain));
  }, 200_000);
});
