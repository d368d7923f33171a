// Client mode is local mode, byte for byte: every scenario runs once
// locally and once through a real `tau-po serve` (real port, the built bin),
// each on its own identical copy of the state directory, and stdout, stderr
// and the exit status must agree.
//
// The two copies live at the same relative path (`state`, `rbac.json`,
// `cp-*.json`) under two working directories: the local command runs in one,
// the server in the other, so every path a document or message quotes is
// spelled the same way. What is normalised, and why:
// - unix-ms times and ISO times within this test's run: "now" differs
//   between the two runs (control state `updated_unix_ms`, a lock's "since");
// - SHA-256 hex digests: rows written through the server carry two extra
//   keys (`auth`, `client_address`), so their hashes (the head in
//   `audit_head`) differ, as they would for any two rows written at
//   different times.
import fs from 'node:fs';
import path from 'node:path';
import { acquireStateDirLock } from '@tau/durable-fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTauPo, type TauPoRun } from './built-cli.js';
import { startServeProcess, type ServeProcess } from './serve-process.js';
import {
  controlState,
  makeTempDir,
  OPERATOR_POLICY,
  policyCheckpoint,
  tauAuditRows,
  trainingStatus,
  writeRbacPolicy,
  writeStateDir,
  type StateDirContents,
} from './state-dir-fixture.js';
import { serializeAuditRow } from '@tau/schemas';

type Fixture = 'paused' | 'crashed' | 'crashed-no-checkpoints' | 'damaged-audit' | 'missing-action' | 'missing' | 'busy';
type Principal = 'local:rl-operator' | 'local:observer';

const FIXTURES: Record<Exclude<Fixture, 'missing' | 'busy'>, StateDirContents> = {
  paused: {
    controlState: controlState('paused', 'pause'),
    auditRows: tauAuditRows(3),
    trainingStatus: trainingStatus('paused'),
    primaryCheckpoint: policyCheckpoint('run-primary'),
    fallbackCheckpoint: policyCheckpoint('run-fallback', 4100),
  },
  // lifecycle running and no training status: resume detects a crash and restores a checkpoint.
  crashed: {
    controlState: controlState('running', 'resume'),
    auditRows: tauAuditRows(2),
    primaryCheckpoint: policyCheckpoint('run-primary'),
    fallbackCheckpoint: policyCheckpoint('run-fallback', 4100),
  },
  'crashed-no-checkpoints': { controlState: controlState('running', 'resume'), auditRows: tauAuditRows(2) },
  // A line that is not JSON between good rows (the server pages it as `unparsed`).
  'damaged-audit': { controlState: controlState('paused', 'pause'), auditText: `${serializeAuditRow(tauAuditRows(1)[0]!)}{"schema_version": 1, "action": \n${serializeAuditRow(tauAuditRows(3)[2]!)}` },
  'missing-action': { controlState: controlState('paused', 'pause'), auditText: `${serializeAuditRow(tauAuditRows(1)[0]!)}{"schema_version":1,"principal":"p"}\n` },
};

interface Scenario {
  name: string;
  fixture: Fixture;
  args: readonly string[];
  principal?: Principal;
  env?: Record<string, string>;
  /** `audit verify|timeline` take only `--state-dir` (they need no policy or principal). */
  stateDirOnly?: boolean;
  /** `rbac check` takes only `--rbac-policy` and `--principal`. */
  policyOnly?: boolean;
  /** The local exit status (so that both modes failing alike for a wrong setup cannot pass). */
  exit: number;
}

const SCENARIOS: readonly Scenario[] = [
  { name: 'status', fixture: 'paused', args: ['status'], exit: 0 },
  { name: 'status --json', fixture: 'paused', args: ['status', '--json'], exit: 0 },
  { name: 'status by an observer', fixture: 'paused', args: ['status'], principal: 'local:observer', exit: 0 },
  { name: 'status, Tau spelling', fixture: 'paused', args: ['--prompt-optimization-control-status', '--prompt-optimization-control-json'], exit: 0 },
  { name: 'status from the variables', fixture: 'paused', args: [], env: { TAU_PROMPT_OPTIMIZATION_CONTROL_STATUS: 'true', TAU_PROMPT_OPTIMIZATION_CONTROL_JSON: '1' }, exit: 0 },
  { name: 'pause (idempotent)', fixture: 'paused', args: ['pause'], exit: 0 },
  { name: 'pause --json on a running run', fixture: 'crashed', args: ['pause', '--json'], exit: 0 },
  { name: 'resume --dry-run', fixture: 'paused', args: ['resume', '--dry-run'], exit: 0 },
  { name: 'resume --dry-run --json after a crash', fixture: 'crashed', args: ['resume', '--dry-run', '--json'], exit: 0 },
  { name: 'resume', fixture: 'paused', args: ['resume'], exit: 0 },
  { name: 'resume --json after a crash (restores the primary)', fixture: 'crashed', args: ['resume', '--json'], exit: 0 },
  { name: 'resume, Tau spelling', fixture: 'paused', args: ['--prompt-optimization-control-resume'], exit: 0 },
  { name: 'resume after a crash without checkpoints: guardrail', fixture: 'crashed-no-checkpoints', args: ['resume'], exit: 4 },
  { name: 'resume --dry-run --json, guardrail', fixture: 'crashed-no-checkpoints', args: ['resume', '--dry-run', '--json'], exit: 4 },
  { name: 'cancel', fixture: 'paused', args: ['cancel'], exit: 0 },
  { name: 'cancel --json, Tau spelling', fixture: 'crashed', args: ['--prompt-optimization-control-cancel', '--json'], exit: 0 },
  { name: 'rollback to a good checkpoint', fixture: 'paused', args: ['rollback', 'cp-good.json'], exit: 0 },
  { name: 'rollback --json to a good checkpoint', fixture: 'paused', args: ['rollback', 'cp-good.json', '--json'], exit: 0 },
  { name: 'rollback, Tau spelling', fixture: 'paused', args: ['--prompt-optimization-control-rollback', 'cp-good.json'], exit: 0 },
  { name: 'rollback to a corrupt checkpoint', fixture: 'paused', args: ['rollback', 'cp-bad.json'], exit: 1 },
  { name: 'rollback to a missing checkpoint --json', fixture: 'paused', args: ['rollback', 'cp-missing.json', '--json'], exit: 1 },
  { name: 'pause by a denied principal', fixture: 'paused', args: ['pause'], principal: 'local:observer', exit: 3 },
  { name: 'resume --json by a denied principal', fixture: 'paused', args: ['resume', '--json'], principal: 'local:observer', exit: 3 },
  { name: 'pause on a busy state directory', fixture: 'busy', args: ['pause'], exit: 5 },
  { name: 'resume --json on a busy state directory', fixture: 'busy', args: ['resume', '--json'], exit: 5 },
  { name: 'status on a missing state directory', fixture: 'missing', args: ['status'], exit: 0 },
  { name: 'pause on a missing state directory', fixture: 'missing', args: ['pause'], exit: 0 },
  { name: 'pause --dry-run: usage error', fixture: 'paused', args: ['pause', '--dry-run'], exit: 2 },
  { name: 'two actions: usage error', fixture: 'paused', args: ['--prompt-optimization-control-pause', '--prompt-optimization-control-cancel'], exit: 2 },
  { name: 'doctor', fixture: 'paused', args: ['doctor'], exit: 0 },
  { name: 'doctor --json after a crash', fixture: 'crashed', args: ['doctor', '--json'], exit: 0 },
  { name: 'doctor, guardrail ahead', fixture: 'crashed-no-checkpoints', args: ['doctor'], exit: 1 },
  { name: 'doctor on a missing state directory', fixture: 'missing', args: ['doctor', '--json'], exit: 1 },
  { name: 'audit verify', fixture: 'paused', args: ['audit', 'verify'], stateDirOnly: true, exit: 0 },
  { name: 'audit verify --json', fixture: 'crashed', args: ['audit', 'verify', '--json'], stateDirOnly: true, exit: 0 },
  { name: 'audit verify on a missing state directory', fixture: 'missing', args: ['audit', 'verify'], stateDirOnly: true, exit: 1 },
  { name: 'rbac check pause', fixture: 'paused', args: ['rbac', 'check', 'pause'], policyOnly: true, exit: 0 },
  { name: 'rbac check --json, an action key', fixture: 'paused', args: ['rbac', 'check', 'control:rl:rollback', '--json'], policyOnly: true, exit: 0 },
  { name: 'rbac check by a denied principal', fixture: 'paused', args: ['rbac', 'check', 'cancel'], principal: 'local:observer', policyOnly: true, exit: 3 },
  { name: 'rbac check of an unknown action', fixture: 'paused', args: ['rbac', 'check', 'explode'], policyOnly: true, exit: 2 },
  { name: 'audit timeline', fixture: 'paused', args: ['audit', 'timeline'], stateDirOnly: true, exit: 0 },
  { name: 'audit timeline --json', fixture: 'crashed', args: ['audit', 'timeline', '--json'], stateDirOnly: true, exit: 0 },
  { name: 'audit timeline, a line that is not JSON', fixture: 'damaged-audit', args: ['audit', 'timeline'], stateDirOnly: true, exit: 1 },
  { name: 'audit timeline --json, a row without action', fixture: 'missing-action', args: ['audit', 'timeline', '--json'], stateDirOnly: true, exit: 1 },
];

/** Where the scenario's state lives: one working directory per mode. */
interface ModeRoot {
  dir: string;
  stateDir: string;
}

let localRoot: ModeRoot;
let serverRoot: ModeRoot;
let clientDir: string;
let server: ServeProcess;
const tokenFiles = new Map<Principal, string>();
let startedAt: number;

function makeModeRoot(prefix: string): ModeRoot {
  const dir = makeTempDir(prefix);
  writeRbacPolicy(path.join(dir, 'rbac.json'), OPERATOR_POLICY);
  fs.writeFileSync(path.join(dir, 'cp-good.json'), JSON.stringify(policyCheckpoint('run-rollback', 3000), null, 2));
  fs.writeFileSync(path.join(dir, 'cp-bad.json'), '{"checkpoint_version": 1, "run_id": ');
  return { dir, stateDir: path.join(dir, 'state') };
}

/** Puts the fixture in place; returns what releases a lock it took. */
function prepare(root: ModeRoot, fixture: Fixture): () => void {
  fs.rmSync(root.stateDir, { recursive: true, force: true });
  if (fixture === 'missing') return () => undefined;
  writeStateDir(root.stateDir, FIXTURES[fixture === 'busy' ? 'paused' : fixture]);
  if (fixture !== 'busy') return () => undefined;
  const lock = acquireStateDirLock(root.stateDir, { command: 'conformance-test' });
  return () => lock.release();
}

function normalise(text: string): string {
  const recent = (ms: number): boolean => ms >= startedAt - 1000 && ms <= Date.now() + 1000;
  return text
    .replace(/\b1\d{12}\b/g, (digits) => (recent(Number(digits)) ? '<now-unix-ms>' : digits))
    .replace(/\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, (iso) => (recent(Date.parse(iso)) ? '<now-iso>' : iso))
    .replace(/\b[0-9a-f]{64}\b/g, '<sha256>');
}

function normalised(run: TauPoRun): { status: number | null; stdout: string; stderr: string } {
  return { status: run.status, stdout: normalise(run.stdout), stderr: normalise(run.stderr) };
}

beforeAll(async () => {
  startedAt = Date.now();
  localRoot = makeModeRoot('tau-po-conformance-local-');
  serverRoot = makeModeRoot('tau-po-conformance-server-');
  clientDir = makeTempDir('tau-po-conformance-client-');
  const store = path.join(serverRoot.dir, 'tokens.json');
  for (const principal of ['local:rl-operator', 'local:observer'] as const) {
    const created = runTauPo(['token', 'create', '--principal', principal, '--token-store', store]);
    expect(created.status, created.stderr).toBe(0);
    const file = path.join(clientDir, `${principal.replace(':', '-')}.token`);
    fs.writeFileSync(file, created.stdout, { mode: 0o600 });
    tokenFiles.set(principal, file);
  }
  server = await startServeProcess(['--state-dir', 'state', '--rbac-policy', 'rbac.json', '--token-store', store], serverRoot.dir);
}, 30_000);

afterAll(async () => {
  await server?.stop();
  for (const dir of [localRoot?.dir, serverRoot?.dir, clientDir]) if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
});

describe('client mode answers exactly as local mode', () => {
  it.each(SCENARIOS)('$name', (scenario) => {
    const principal = scenario.principal ?? 'local:rl-operator';
    const releaseLocal = prepare(localRoot, scenario.fixture);
    const releaseServer = prepare(serverRoot, scenario.fixture);
    try {
      const policyOptions = ['--rbac-policy', 'rbac.json', '--principal', principal];
      const localOptions =
        scenario.stateDirOnly === true ? ['--state-dir', 'state'] : scenario.policyOnly === true ? policyOptions : ['--state-dir', 'state', ...policyOptions];
      const local = runTauPo([...scenario.args, ...localOptions], {
        cwd: localRoot.dir,
        ...(scenario.env === undefined ? {} : { env: scenario.env }),
      });
      const remote = runTauPo([...scenario.args, '--server', server.url, '--token-file', tokenFiles.get(principal)!], {
        cwd: clientDir,
        ...(scenario.env === undefined ? {} : { env: scenario.env }),
      });
      expect(local.status, local.stderr).toBe(scenario.exit);
      expect(normalised(remote)).toEqual(normalised(local));
      // Same effect on the state directory: the same files, the same control state.
      const files = (root: ModeRoot): string[] => (fs.existsSync(root.stateDir) ? fs.readdirSync(root.stateDir).sort() : []);
      expect(files(serverRoot)).toEqual(files(localRoot));
      const stateFile = (root: ModeRoot): string | undefined => {
        const file = path.join(root.stateDir, 'control-state.json');
        return fs.existsSync(file) ? normalise(fs.readFileSync(file, 'utf8')) : undefined;
      };
      expect(stateFile(serverRoot)).toEqual(stateFile(localRoot));
    } finally {
      releaseLocal();
      releaseServer();
    }
  });

  it('the variables work like the flags (TAU_PO_SERVER, TAU_PO_TOKEN, TAU_PO_TOKEN_FILE)', () => {
    prepare(localRoot, 'paused');
    prepare(serverRoot, 'paused');
    const local = runTauPo(['status', '--state-dir', 'state', '--rbac-policy', 'rbac.json', '--principal', 'local:rl-operator'], { cwd: localRoot.dir });
    const token = fs.readFileSync(tokenFiles.get('local:rl-operator')!, 'utf8').trim();
    const byToken = runTauPo(['status'], { cwd: clientDir, env: { TAU_PO_SERVER: server.url, TAU_PO_TOKEN: token } });
    const byFile = runTauPo(['status'], {
      cwd: clientDir,
      env: { TAU_PO_SERVER: server.url, TAU_PO_TOKEN_FILE: tokenFiles.get('local:rl-operator')! },
    });
    expect(byToken).toEqual(local);
    expect(byFile).toEqual(local);
  });
});

describe('client mode refuses what it cannot do safely', () => {
  const operatorToken = (): string => tokenFiles.get('local:rl-operator')!;

  it('a server that is down: exit 1, one line naming the URL', () => {
    const run = runTauPo(['status', '--server', 'http://127.0.0.1:2', '--token-file', operatorToken()], { cwd: clientDir });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^cannot reach the control server at http:\/\/127\.0\.0\.1:2\/: .+\n$/);
  });

  it('a bad token: exit 3 with the server\'s message; nothing written', () => {
    prepare(serverRoot, 'paused');
    const before = fs.readFileSync(path.join(serverRoot.stateDir, 'control-state.json'), 'utf8');
    const file = path.join(clientDir, 'wrong.token');
    fs.writeFileSync(file, 'tpo_000000000000_not-a-real-secret\n');
    const run = runTauPo(['cancel', '--server', server.url, '--token-file', file], { cwd: clientDir });
    expect(run).toMatchObject({ status: 3, stdout: '', stderr: 'authentication required: send Authorization: Bearer <token> with a valid token\n' });
    expect(fs.readFileSync(path.join(serverRoot.stateDir, 'control-state.json'), 'utf8')).toBe(before);
  });

  it.each([
    [['status', '--server', 'http://192.0.2.1:7433'], /refusing to send the token over plain HTTP/],
    [['status', '--state-dir', 'state'], /--state-dir cannot be used with --server/],
    [['lock', 'status'], /tau-po lock is not available with --server/],
    [['checkpoint', 'verify', 'cp.json'], /tau-po checkpoint verify is not available with --server/],
    [['audit', 'accept', '--reason', 'x'], /tau-po audit accept is not available with --server/],
  ])('%j: usage error (exit 2), nothing sent', (args, message) => {
    const withServer = args.includes('--server') ? args : [...args, '--server', server.url];
    const run = runTauPo([...withServer, '--token-file', operatorToken()], { cwd: clientDir });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });

  it('a token file that is not a regular file: exit 1 naming it', () => {
    const run = runTauPo(['status', '--server', server.url, '--token-file', clientDir], { cwd: clientDir });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`cannot read token file '${clientDir}': the path is a directory, not a regular file\n`);
  });

  it('rbac whoami: the local document for the token\'s principal, plus how it was authenticated', () => {
    const run = runTauPo(['rbac', 'whoami', '--json', '--server', server.url, '--token-file', operatorToken()], { cwd: clientDir });
    expect(run.status, run.stderr).toBe(0);
    const document = JSON.parse(run.stdout) as { principal: string; auth: string };
    expect(document.principal).toBe('local:rl-operator');
    expect(document.auth).toMatch(/^token:[0-9a-f]{12}$/);
    const text = runTauPo(['rbac', 'whoami', '--server', server.url, '--token-file', operatorToken()], { cwd: clientDir });
    expect(text.stdout.split('\n')[0]).toMatch(/^principal=local:rl-operator source=\S+ policy_path=rbac\.json auth=token:[0-9a-f]{12}$/);
  });
});

describe('the client bundle is separate', () => {
  it('the main bundle (and its startup snapshot) holds no client code; the client bundle holds no server', () => {
    const dist = path.join(path.dirname(import.meta.dirname), 'dist');
    const main = fs.readFileSync(path.join(dist, 'tau-po.cjs'), 'utf8');
    const client = fs.readFileSync(path.join(dist, 'tau-po-client.cjs'), 'utf8');
    expect(main).not.toContain('cannot reach the control server');
    expect(client).toContain('cannot reach the control server');
    expect(client).not.toMatch(/fastify|prom-client|pino/i);
  });
});
