// Issue class: "only regular files are opened, and reads are bounded". Walks
// every file a command reads or writes in a state directory (and the policy
// given with --rbac-policy) x every kind of thing that can sit there (FIFO,
// socket, a device, a directory, a file above its cap), through the built
// CLI: no command blocks, a refusal is one stderr line naming the path and
// what it is, nothing in the state directory changes, the lock is released.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ARTIFACT_MAX_BYTES, SMALL_FILE_MAX_BYTES, TRAINING_STATUS_FILE } from '@tau/schemas';
import { baseEnv, TAU_PO } from './built-cli.js';
import {
  controlState,
  createCliWorkspace,
  policyCheckpoint,
  removeCliWorkspace,
  tauAuditRows,
  trainingStatus,
  writeStateDir,
} from './state-dir-fixture.js';

type Kind = 'fifo' | 'socket' | 'device' | 'directory' | 'oversized';

/** The files of a state directory a command touches, and the cap of each (undefined: streamed, no cap). */
const STATE_FILES: Array<{ name: string; cap: number | undefined }> = [
  { name: 'control-state.json', cap: SMALL_FILE_MAX_BYTES },
  { name: TRAINING_STATUS_FILE, cap: SMALL_FILE_MAX_BYTES },
  { name: 'recovery-report.json', cap: ARTIFACT_MAX_BYTES.recovery_report },
  { name: 'control-audit.head.json', cap: SMALL_FILE_MAX_BYTES },
  { name: 'control-audit.jsonl', cap: undefined },
  { name: 'policy-checkpoint.json', cap: undefined },
  { name: 'policy-checkpoint.json.sha256', cap: SMALL_FILE_MAX_BYTES },
  { name: 'policy-checkpoint.rollback.json', cap: undefined },
  { name: '.tau-po.lock', cap: 64 * 1024 },
];

const KINDS: Kind[] = ['fifo', 'socket', 'device', 'directory', 'oversized'];

/** What an operator reads for each kind (the oversized phrase is the cap's). */
const KIND_PHRASE: Record<Kind, RegExp> = {
  fifo: /is a FIFO/,
  socket: /is a socket|FIFO or socket/,
  device: /is a character device|is a symbolic link to '\/dev\/zero'/,
  directory: /is a directory/,
  oversized: /bytes, above the \d+-byte cap|more than a lock record ever has/,
};

// resume reads and writes every file; doctor reads every one and names each problem; status and the dry run only read.
const COMMANDS = [['resume', '--json'], ['status'], ['doctor'], ['resume', '--dry-run']] as const;

let workDir: string;
const sockets: net.Server[] = [];

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

// Async, so a hung child is killed by the timeout rather than hanging the suite.
function runAsync(args: readonly string[], timeoutMs = 15_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(TAU_PO, args, { env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Each entry's kind, size and content digest (regular files up to 1 MiB), without opening anything else. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const stats = fs.lstatSync(full);
    let detail = `${stats.mode}:${stats.size}:${stats.mtimeMs}`;
    if (stats.isFile() && stats.size <= 1024 * 1024) detail += `:${createHash('sha256').update(fs.readFileSync(full)).digest('hex')}`;
    if (stats.isSymbolicLink()) detail += `:${fs.readlinkSync(full)}`;
    out[name] = detail;
  }
  return out;
}

async function placeSpecial(filePath: string, kind: Kind, cap: number): Promise<void> {
  fs.rmSync(filePath, { force: true, recursive: true });
  switch (kind) {
    case 'fifo':
      await new Promise<void>((resolve, reject) =>
        spawn('mkfifo', [filePath]).on('close', (code) => (code === 0 ? resolve() : reject(new Error(`mkfifo ${code}`)))),
      );
      return;
    case 'socket': {
      const server = net.createServer();
      sockets.push(server);
      await new Promise<void>((resolve) => server.listen(filePath, resolve));
      return;
    }
    case 'device':
      fs.symlinkSync('/dev/zero', filePath);
      return;
    case 'directory':
      fs.mkdirSync(filePath);
      return;
    case 'oversized':
      // Sparse: costs no disk; starts like the file it replaces would.
      fs.writeFileSync(filePath, '{');
      fs.truncateSync(filePath, cap + 1);
      return;
  }
}

/** A crashed run: running, with both checkpoints (primary with a digest sidecar) and Tau's rows. */
function crashedStateDir(stateDir: string): void {
  writeStateDir(stateDir, {
    controlState: controlState('running', 'resume'),
    auditRows: tauAuditRows(3),
    trainingStatus: trainingStatus('running'),
    primaryCheckpoint: policyCheckpoint('run-primary', 4200),
    fallbackCheckpoint: policyCheckpoint('run-fallback', 4100),
  });
  const primary = fs.readFileSync(path.join(stateDir, 'policy-checkpoint.json'));
  fs.writeFileSync(path.join(stateDir, 'policy-checkpoint.json.sha256'), `${createHash('sha256').update(primary).digest('hex')}  policy-checkpoint.json\n`);
}

beforeAll(() => {
  ({ workDir } = createCliWorkspace());
});

afterAll(async () => {
  await Promise.all(sockets.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  removeCliWorkspace(workDir);
});

interface Case {
  file: string;
  kind: Kind;
  cap: number;
}

const CASES: Case[] = STATE_FILES.flatMap(({ name, cap }) =>
  KINDS.filter((kind) => kind !== 'oversized' || cap !== undefined).map((kind) => ({ file: name, kind, cap: cap ?? 0 })),
);

describe.concurrent('no command blocks on, or reads past the cap of, a file that is not what it should be', () => {
  it.for(CASES)('$file as $kind', async ({ file, kind, cap }, { expect }) => {
    const stateDir = path.join(workDir, `${file}-${kind}`.replace(/^\./, '_'));
    crashedStateDir(stateDir);
    const target = path.join(stateDir, file);
    await placeSpecial(target, kind, cap);
    const policy = path.join(workDir, 'rbac.json');
    const named: string[] = [];
    const kindBefore = fs.lstatSync(target).mode & fs.constants.S_IFMT;
    for (const command of COMMANDS) {
      const before = snapshot(stateDir);
      const run = await runAsync([...command, '--state-dir', stateDir, '--rbac-policy', policy, '--principal', 'local:rl-operator']);
      const label = `${command.join(' ')} with ${file} as ${kind}: ${run.stderr}`;
      expect(run.signal, label).toBeNull();
      expect(run.ms, label).toBeLessThan(10_000);
      if (run.status !== 0) {
        // Refused: exit 1 (doctor's verdict is also exit 1), nothing written, the lock released.
        expect(run.status, label).toBe(1);
        expect(snapshot(stateDir), label).toEqual(before);
        if (command[0] !== 'doctor') {
          expect(run.stdout, label).toBe('');
          expect(run.stderr.split('\n'), label).toHaveLength(2);
        }
      }
      const output = run.stderr + run.stdout;
      if (KIND_PHRASE[kind].test(output) && output.includes(`/${file}`)) named.push(command.join(' '));
      if (file !== '.tau-po.lock') expect(fs.existsSync(path.join(stateDir, '.tau-po.lock')), label).toBe(false);
    }
    // Refused or worked around (a checkpoint falls back), the file is named with what it is...
    expect(named.length, `no command named ${file} as ${kind}`).toBeGreaterThan(0);
    // ...and never replaced or consumed: the special file is still what it was.
    expect(fs.lstatSync(target).mode & fs.constants.S_IFMT, `${file} as ${kind} was replaced`).toBe(kindBefore);
  });
});
