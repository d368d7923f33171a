// `tau-po serve` and `tau-po token` as an operator runs them: the built bin
// in real child processes, real signals, real HTTP on 127.0.0.1.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { STATE_DIR_LOCK_FILE } from '@tau/durable-fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_DIR, baseEnv, runTauPo, TAU_PO } from './built-cli.js';
import { makeTempDir } from './state-dir-fixture.js';
import { startServeProcess, type ServeProcess } from './serve-process.js';

const OPERATOR = 'ci:operator';
const POLICY = {
  schema_version: 1,
  team_mode: true,
  bindings: [{ principal: OPERATOR, roles: ['operator'] }],
  roles: { operator: { allow: ['control:rl:*'] } },
};

let root: string;
let stateDir: string;
let policyPath: string;
let storePath: string;
let server: ChildProcess | undefined;

beforeEach(() => {
  root = makeTempDir('tau-po-serve-');
  stateDir = path.join(root, 'state');
  policyPath = path.join(root, 'rbac.json');
  storePath = path.join(root, 'tokens.json');
  fs.mkdirSync(stateDir);
  fs.writeFileSync(policyPath, JSON.stringify(POLICY));
});
afterEach(() => {
  if (server !== undefined && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  server = undefined;
  fs.rmSync(root, { recursive: true, force: true });
});

function createTokenFor(principal: string): string {
  const created = runTauPo(['token', 'create', '--principal', principal, '--token-store', storePath, '--label', 'test']);
  expect(created.status, created.stderr).toBe(0);
  return created.stdout.trim();
}

async function startServe(args: readonly string[]): Promise<ServeProcess> {
  const running = await startServeProcess(['--token-store', storePath, ...args], undefined, { requestLogs: true });
  server = running.child;
  return running;
}

/** A Tau-written audit log of `rows` rows, so that a command holds the lock long enough to be seen. */
function writeLongAuditLog(rows: number): void {
  const lines: string[] = [];
  for (let n = 0; n < rows; n += 1) {
    const action = n % 2 === 0 ? 'pause' : 'resume';
    lines.push(
      `{"schema_version":1,"timestamp_unix_ms":${1_700_000_000_000 + n},"principal":"local:op","action":"${action}","action_key":"control:rl:${action}","lifecycle_state":"${action === 'pause' ? 'paused' : 'running'}","idempotent":false,"rollback_checkpoint":null,"recovery_checkpoint_source":null}\n`,
    );
  }
  fs.writeFileSync(path.join(stateDir, 'control-audit.jsonl'), lines.join(''));
}

async function waitForFile(filePath: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(filePath)) return true;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return false;
}

describe('the server bundle is separate', () => {
  it('the main bundle (and so the startup snapshot) holds no server code', () => {
    const main = fs.readFileSync(path.join(APP_DIR, 'dist', 'tau-po.cjs'), 'utf8');
    expect(main).not.toMatch(/fastify|prom-client|sonic-boom|pino/i);
    expect(fs.readFileSync(path.join(APP_DIR, 'dist', 'tau-po-server.cjs'), 'utf8')).toMatch(/fastify/);
  });
});

describe('tau-po serve', () => {
  it('prints exactly one stdout line when ready, logs JSON lines on stderr, exits 0 on SIGINT', async () => {
    const token = createTokenFor(OPERATOR);
    const running = await startServe(['--state-dir', stateDir, '--rbac-policy', policyPath]);
    const response = await fetch(`${running.url}/api/v1/runs/default/status`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const local = runTauPo(['status', '--json', '--state-dir', stateDir, '--rbac-policy', policyPath, '--principal', OPERATOR]);
    expect(`${await response.text()}\n`).toBe(local.stdout);
    running.child.kill('SIGINT');
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(running.stdout()).toBe(`tau-po serve listening on ${running.url}\n`);
    const logLines = running.stderr().trim().split('\n');
    expect(logLines.length).toBeGreaterThan(1);
    for (const line of logLines) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('SIGTERM during a commit: the commit finishes and is answered, a local command meanwhile gets exit 5, then exit 0', async () => {
    writeLongAuditLog(400_000);
    const token = createTokenFor(OPERATOR);
    const running = await startServe(['--state-dir', stateDir, '--rbac-policy', policyPath]);
    const lockPath = path.join(stateDir, STATE_DIR_LOCK_FILE);
    const answer = fetch(`${running.url}/api/v1/runs/default/actions/pause`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await waitForFile(lockPath, 10_000)).toBe(true);
    const local = runTauPo(['cancel', '--state-dir', stateDir, '--rbac-policy', policyPath, '--principal', OPERATOR]);
    running.child.kill('SIGTERM');
    expect(local.status, local.stderr).toBe(5);
    const response = await answer;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ action: 'pause', principal: OPERATOR, control_state: { lifecycle_state: 'paused' } });
    expect(await running.exited).toEqual({ code: 0, signal: null });
    const lastRow = JSON.parse(
      fs.readFileSync(path.join(stateDir, 'control-audit.jsonl'), 'utf8').trimEnd().split('\n').at(-1)!,
    ) as Record<string, unknown>;
    expect(lastRow).toMatchObject({ action: 'pause', principal: OPERATOR, client_address: '127.0.0.1' });
    expect(lastRow.auth).toMatch(/^token:[0-9a-f]{12}$/);
    const verify = runTauPo(['audit', 'verify', '--state-dir', stateDir]);
    expect(verify.status, verify.stdout).toBe(0);
  }, 90_000);

  it('a request during a local command gets 409 (exit 5 in the body)', async () => {
    writeLongAuditLog(400_000);
    const token = createTokenFor(OPERATOR);
    const running = await startServe(['--state-dir', stateDir, '--rbac-policy', policyPath]);
    const local = spawn(TAU_PO, ['pause', '--state-dir', stateDir, '--rbac-policy', policyPath, '--principal', OPERATOR], {
      env: baseEnv(),
      stdio: 'ignore',
    });
    const localExit = new Promise<number | null>((resolve) => local.once('exit', resolve));
    expect(await waitForFile(path.join(stateDir, STATE_DIR_LOCK_FILE), 10_000)).toBe(true);
    const response = await fetch(`${running.url}/api/v1/runs/default/actions/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { exit_code: 5 } });
    expect(await localExit).toBe(0);
    running.child.kill('SIGTERM');
    expect((await running.exited).code).toBe(0);
  });

  it('serves several runs from --config', async () => {
    const token = createTokenFor(OPERATOR);
    const otherDir = path.join(root, 'other');
    const configPath = path.join(root, 'serve.json');
    fs.writeFileSync(
      configPath,
      JSON.stringify({
        runs: [
          { name: 'alpha', state_dir: stateDir, rbac_policy: policyPath },
          { name: 'beta', state_dir: otherDir, rbac_policy: policyPath },
        ],
      }),
    );
    const running = await startServe(['--config', configPath]);
    const headers = { authorization: `Bearer ${token}` };
    expect((await fetch(`${running.url}/api/v1/runs/beta/actions/pause`, { method: 'POST', headers })).status).toBe(200);
    expect(await (await fetch(`${running.url}/api/v1/runs`, { headers })).json()).toEqual({
      runs: [
        { name: 'alpha', lifecycle_state: null, training_run_state: null },
        { name: 'beta', lifecycle_state: 'paused', training_run_state: null },
      ],
    });
    running.child.kill('SIGTERM');
    expect((await running.exited).code).toBe(0);
  });

  it('serves HTTPS with --tls-cert and --tls-key', async () => {
    const keyPath = path.join(root, 'key.pem');
    const certPath = path.join(root, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=localhost'], {
      stdio: 'ignore',
    });
    const running = await startServe(['--state-dir', stateDir, '--rbac-policy', policyPath, '--tls-cert', certPath, '--tls-key', keyPath]);
    expect(running.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const probe = spawn(process.execPath, ['-e', `require('https').get(${JSON.stringify(`${running.url}/healthz`)}, { rejectUnauthorized: false }, (r) => { let b=''; r.on('data', (c) => b += c); r.on('end', () => { console.log(r.statusCode, b, r.headers['strict-transport-security']); }); })`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    probe.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise((resolve) => probe.once('exit', resolve));
    expect(out).toMatch(/^200 \{"status":"ok"\} max-age=/);
    running.child.kill('SIGTERM');
    expect((await running.exited).code).toBe(0);
  });

  it.each<[string, string[], RegExp]>([
    ['beyond loopback without TLS', ['--listen', '0.0.0.0:7433'], /requires --tls-cert and --tls-key, or --insecure-http/],
    ['--config with --state-dir', ['--config', 'x.json', '--state-dir', 's'], /cannot be combined/],
    ['an unknown option', ['--bogus'], /Unknown option '--bogus'/],
    ['an option twice', ['--listen', '127.0.0.1:0', '--listen', '127.0.0.1:1'], /given more than once/],
    ['a bad --listen', ['--listen', 'localhost'], /invalid --listen 'localhost'/],
    ['--tls-cert alone', ['--tls-cert', 'c.pem'], /go together/],
  ])('usage error (exit 2): %s', (_name, args, message) => {
    const result = runTauPo(['serve', ...args], { cwd: root });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toMatch(message);
  });
});

describe('tau-po token', () => {
  it('create prints the token once; list never shows it; revoke stops it at once', async () => {
    const token = createTokenFor(OPERATOR);
    expect(token).toMatch(/^tpo_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(fs.statSync(storePath).mode & 0o777).toBe(0o600);
    const list = runTauPo(['token', 'list', '--token-store', storePath]);
    expect(list.status).toBe(0);
    const id = token.slice(4, 16);
    expect(list.stdout).toContain(`id=${id} principal="${OPERATOR}" state=active`);
    expect(list.stdout + fs.readFileSync(storePath, 'utf8')).not.toContain(token.slice(17));
    const running = await startServe(['--state-dir', stateDir, '--rbac-policy', policyPath]);
    const headers = { authorization: `Bearer ${token}` };
    expect((await fetch(`${running.url}/api/v1/runs`, { headers })).status).toBe(200);
    expect(runTauPo(['token', 'revoke', id, '--token-store', storePath]).stdout).toBe(`token ${id} revoked\n`);
    expect((await fetch(`${running.url}/api/v1/runs`, { headers })).status).toBe(401);
    expect(runTauPo(['token', 'list', '--token-store', storePath]).stdout).toContain('state=revoked');
    running.child.kill('SIGTERM');
    await running.exited;
  });

  it.each<[string, string[]]>([
    ['no principal', ['create']],
    ['a blank principal', ['create', '--principal', ' ']],
    ['a bad lifetime', ['create', '--principal', 'p', '--expires-in', '3 weeks']],
    ['an unknown subcommand', ['rotate']],
    ['revoke without an id', ['revoke']],
  ])('usage error (exit 2): %s', (_name, args) => {
    const result = runTauPo(['token', ...args, '--token-store', storePath]);
    expect(result.status).toBe(2);
    expect(fs.existsSync(storePath)).toBe(false);
  });

  it('revoking an unknown id fails (exit 1)', () => {
    createTokenFor(OPERATOR);
    const result = runTauPo(['token', 'revoke', 'abcdefabcdef', '--token-store', storePath]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^no token with id 'abcdefabcdef'/);
  });
});
