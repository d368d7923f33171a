// The launcher (dist/tau-po.js) and the startup snapshot: the snapshot is
// used when it is safe, never when Node would reject it, and behaves exactly
// like the plain bundle, failpoints included.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_DIR, baseEnv, runTauPo, TAU_PO } from './built-cli.js';
import {
  controlState,
  createCliWorkspace,
  removeCliWorkspace,
  trainingStatus,
  writeStateDir,
} from './state-dir-fixture.js';

/** The blob dist/snapshots holds for the Node running the tests (build-before-tests makes sure there is one). */
function packageSnapshotBlob(distDir: string): string | undefined {
  const root = path.join(distDir, 'snapshots');
  for (const key of fs.existsSync(root) ? fs.readdirSync(root) : []) {
    for (const entry of fs.readdirSync(path.join(root, key))) {
      const node = fs.statSync(path.join(root, key, entry, 'node'), { throwIfNoEntry: false });
      const running = fs.statSync(process.execPath);
      if (!entry.startsWith('.') && node?.ino === running.ino && node.dev === running.dev) return path.join(root, key, entry, 'tau-po.blob');
    }
  }
  return undefined;
}

const BLOB = packageSnapshotBlob(path.join(APP_DIR, 'dist')) ?? 'no snapshot in dist/snapshots';

let workDir: string;
let stateDir: string;
let policyPath: string;

beforeEach(() => {
  ({ workDir, stateDir, policyPath } = createCliWorkspace());
  writeStateDir(stateDir, { controlState: controlState('paused', 'pause'), trainingStatus: trainingStatus('completed') });
});

afterEach(() => removeCliWorkspace(workDir));

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const control = (action: string) => [action, '--state-dir', stateDir, '--rbac-policy', policyPath, '--principal', 'local:rl-operator'];

describe('launcher', () => {
  it('starts Node from the snapshot built for this Node', () => {
    expect(fs.existsSync(BLOB)).toBe(true);
    const traced = runTauPo(control('status'), { command: 'sh', commandArgs: ['-x', TAU_PO] });
    expect(traced.status).toBe(0);
    expect(traced.stderr).toMatch(new RegExp(`exec \\S+ --snapshot-blob ${escapeRegExp(BLOB)} -- status`));
  });

  it('gives the same output, errors and exit statuses from the snapshot as from the plain bundle', () => {
    const cases = [
      control('status'),
      control('pause'),
      control('pause'),
      ['--prompt-optimization-control-pause', '--prompt-optimization-control-cancel'],
      ['status', '--state-dir', stateDir, '--rbac-policy', path.join(workDir, 'missing.json')],
      ['rbac', 'check', 'pause', '--rbac-policy', policyPath, '--principal', 'local:observer'],
      ['resume', '--help'],
    ];
    for (const args of cases) {
      const fromSnapshot = runTauPo(args);
      const plain = runTauPo(args, { env: { TAU_PO_NO_SNAPSHOT: '1' } });
      expect(fromSnapshot, args.join(' ')).toEqual(plain);
    }
  });

  it('does not use the snapshot when NODE_OPTIONS is set (V8 flags make Node reject it)', () => {
    const rejected = spawnSync(process.execPath, ['--max-old-space-size=200', '--snapshot-blob', BLOB, '--', ...control('status')], {
      env: baseEnv(),
      encoding: 'utf8',
    });
    expect(rejected.status).toBe(14);
    const run = runTauPo(control('status'), { env: { NODE_OPTIONS: '--max-old-space-size=200' } });
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/^prompt optimization lifecycle control: action=status /);
  });

  it('does not use the snapshot with another node binary on PATH', () => {
    const fakeBin = path.join(workDir, 'bin');
    const record = path.join(workDir, 'node-args.txt');
    fs.mkdirSync(fakeBin);
    fs.writeFileSync(path.join(fakeBin, 'node'), `#!/bin/sh\nprintf '%s\\n' "$*" > '${record}'\nexec '${process.execPath}' "$@"\n`, { mode: 0o755 });
    const run = runTauPo(control('status'), { env: { PATH: `${fakeBin}:${process.env['PATH'] ?? ''}` } });
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(fs.readFileSync(record, 'utf8')).toMatch(/\/dist\/tau-po\.cjs status /);
  });

  it('runs as `node dist/tau-po.js`, as dist/tau-po.js and through a symlink', () => {
    const viaNode = runTauPo(control('status'), { command: process.execPath, commandArgs: [`${TAU_PO}.js`] });
    expect(viaNode).toMatchObject({ status: 0, stderr: '' });
    const link = path.join(workDir, 'tau-po');
    fs.symlinkSync(TAU_PO, link);
    expect(runTauPo(control('status'), { command: link })).toEqual(viaNode);
    expect(runTauPo(control('status'), { command: `${TAU_PO}.js` })).toEqual(viaNode);
  });

  it('starts the control server from the plain bundle with its young generation capped (the snapshot would refuse the flag)', () => {
    const traced = runTauPo(['serve', '--help'], { command: 'sh', commandArgs: ['-x', TAU_PO] });
    expect(traced.status).toBe(0);
    expect(traced.stderr).toMatch(/exec node --max-semi-space-size=4 \S+\/tau-po\.cjs serve --help/);
    expect(traced.stdout).toMatch(/^tau-po serve: the control API/);
    // Every other command still starts from the snapshot.
    const status = runTauPo([...control('status'), '--json'], { command: 'sh', commandArgs: ['-x', TAU_PO] });
    expect(status.stderr).toMatch(/exec \S+ --snapshot-blob /);
  });

  it('ignores NODE_EXTRA_CA_CERTS (no TLS; Node would load it at start-up)', () => {
    const run = runTauPo(control('status'), { env: { NODE_EXTRA_CA_CERTS: path.join(workDir, 'no-such-ca.pem') } });
    expect(run).toMatchObject({ status: 0, stderr: '' });
  });

  it('reads failpoints at run time, not from the snapshot', () => {
    const trace = path.join(workDir, 'trace.tsv');
    const traced = runTauPo(control('pause'), { env: { TAU_PO_FAILPOINT_TRACE: trace } });
    expect(traced.status).toBe(0);
    expect(fs.readFileSync(trace, 'utf8')).toMatch(/^1\tappend\t.*control-audit\.jsonl\n/);
    const crashed = runTauPo(control('resume'), { env: { TAU_PO_FAILPOINT: 'crash@1' } });
    expect(crashed).toMatchObject({ status: null, signal: 'SIGKILL', stdout: '' });
  });
});
