// The control API over real HTTP: a real server on 127.0.0.1:<free port>,
// real files in a temp state directory, fetch as the client.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runControlCommand, renderControlJsonDocument, auditVerifyCommand, diagnoseStateDir, rbacWhoamiReport } from '@tau/recovery';
import { apiErrorBodySchema } from '@tau/schemas';
import type * as z from 'zod/mini';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_ROUTES } from './api-routes.js';
import { startLockHolder } from './test-support/lock-holder.js';
import { revokeToken, createToken } from './token-store.js';
import {
  fetchAs,
  OPERATOR,
  postAction,
  startServedWorkspace,
  STRANGER,
  VIEWER,
  type ServedWorkspace,
} from './test-support/served-workspace.js';

let served: ServedWorkspace;

beforeEach(async () => {
  served = await startServedWorkspace({ failedAuthLimit: { maxFailures: 5, windowMs: 60_000 } });
});
afterEach(async () => {
  await served.close();
});

function responseSchemaOf(id: string): z.ZodMiniType {
  const route = API_ROUTES.find((candidate) => candidate.id === id);
  if (route === undefined || 'mediaType' in route.response) throw new Error(`no JSON response for ${id}`);
  return route.response;
}

async function expectDocument(response: Response, id: string): Promise<Record<string, unknown>> {
  const text = await response.text();
  expect(response.status, text).toBe(200);
  const body = JSON.parse(text) as Record<string, unknown>;
  const parsed = responseSchemaOf(id).safeParse(body);
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  return body;
}

async function expectError(response: Response, status: number, exitCode: number): Promise<z.infer<typeof apiErrorBodySchema>['error']> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = apiErrorBodySchema.parse(JSON.parse(text));
  expect(body.error.exit_code).toBe(exitCode);
  // No stack trace, no path of the server's own files.
  expect(text).not.toMatch(/\n\s+at |node_modules|packages\/control-api|\.ts:\d/);
  return body.error;
}

const run = (route: string): string => `/api/v1/runs/default${route}`;

describe('read-only routes answer with the CLI documents', () => {
  it('GET /api/v1/runs lists the run with its states', async () => {
    await postAction(served, OPERATOR, 'pause');
    const body = await expectDocument(await fetchAs(served, VIEWER, '/api/v1/runs'), 'listRuns');
    expect(body).toEqual({ runs: [{ name: 'default', lifecycle_state: 'paused', training_run_state: 'running' }] });
  });

  it('status is byte for byte the `status --json` document for the token principal', async () => {
    await postAction(served, OPERATOR, 'pause');
    const response = await fetchAs(served, VIEWER, run('/status'));
    const text = await response.text();
    const local = await runControlCommand({ action: 'status', stateDir: served.stateDir, rbacPolicyPath: served.policyPath, principal: VIEWER }, {});
    expect(text).toBe(renderControlJsonDocument(local));
    expect(JSON.parse(text)).toMatchObject({ principal: VIEWER, action: 'status' });
  });

  it('whoami is `rbac whoami --json` for the token principal plus auth', async () => {
    const body = await expectDocument(await fetchAs(served, VIEWER, run('/whoami')), 'whoami');
    const local = await rbacWhoamiReport({ rbacPolicyPath: served.policyPath, principal: VIEWER }, {});
    expect(body).toEqual({ ...local, auth: `token:${served.tokenIds[VIEWER]}` });
  });

  it('doctor is the `doctor --json` document', async () => {
    const body = await expectDocument(await fetchAs(served, OPERATOR, run('/doctor')), 'doctor');
    const local = await diagnoseStateDir({ stateDir: served.stateDir, rbacPolicyPath: served.policyPath, principal: OPERATOR }, {});
    expect(body).toEqual(JSON.parse(JSON.stringify(local)));
  });

  it('audit verify is the `audit verify --json` document', async () => {
    await postAction(served, OPERATOR, 'pause');
    await postAction(served, OPERATOR, 'resume');
    const response = await fetchAs(served, VIEWER, run('/audit/verify'));
    const text = await response.text();
    expect(text).toBe(auditVerifyCommand(served.stateDir, { json: true }).text);
    expect(responseSchemaOf('auditVerify').safeParse(JSON.parse(text)).success).toBe(true);
    expect(JSON.parse(text)).toMatchObject({ ok: true, rows: 2 });
  });

  it('recovery-report is null before a resume and the report after', async () => {
    expect(await expectDocument(await fetchAs(served, VIEWER, run('/recovery-report')), 'recoveryReport')).toEqual({ report: null });
    await postAction(served, OPERATOR, 'resume');
    const body = await expectDocument(await fetchAs(served, VIEWER, run('/recovery-report')), 'recoveryReport');
    expect(body.report).toMatchObject({ principal: OPERATOR, schema_version: 1 });
  });

  it('checkpoints: header, size, digest and which one resume would use', async () => {
    const body = await expectDocument(await fetchAs(served, VIEWER, run('/checkpoints')), 'checkpoints');
    expect(body).toMatchObject({
      primary: { exists: true, digest: 'absent', error: null, header: { run_id: 'run-primary', global_step: 40 } },
      fallback: { exists: true, header: { run_id: 'run-fallback' } },
      resume_would_use: 'primary',
    });
    fs.writeFileSync(path.join(served.stateDir, 'policy-checkpoint.json'), '{"broken"');
    fs.writeFileSync(path.join(served.stateDir, 'policy-checkpoint.json.sha256'), `${'0'.repeat(64)}\n`);
    const broken = await expectDocument(await fetchAs(served, VIEWER, run('/checkpoints')), 'checkpoints');
    expect(broken).toMatchObject({ primary: { header: null, error: expect.any(String) }, resume_would_use: 'fallback' });
  });

  it('healthz, readyz and metrics need no token', async () => {
    expect(await expectDocument(await fetch(`${served.baseUrl}/healthz`), 'healthz')).toEqual({ status: 'ok' });
    expect(await expectDocument(await fetch(`${served.baseUrl}/readyz`), 'readyz')).toEqual({
      ready: true,
      runs: [{ name: 'default', ready: true }],
    });
    await postAction(served, OPERATOR, 'pause');
    await postAction(served, VIEWER, 'pause');
    const metrics = await (await fetch(`${served.baseUrl}/metrics`)).text();
    expect(metrics).toContain('tau_po_commands_total{action="pause",outcome="ok"} 1');
    expect(metrics).toContain('tau_po_commands_total{action="pause",outcome="denied"} 1');
    expect(metrics).toMatch(/tau_po_commit_seconds_count\{action="pause"\} 2/);
    expect(metrics).toContain('tau_po_audit_rows{run="default"} 1');
    expect(metrics).toContain('tau_po_lock_busy_total');
  });

  it('readyz is 503 when a run cannot be served', async () => {
    fs.rmSync(served.stateDir, { recursive: true });
    fs.writeFileSync(served.stateDir, 'not a directory');
    const response = await fetch(`${served.baseUrl}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ ready: false, runs: [{ name: 'default', ready: false }] });
  });
});

describe('actions', () => {
  it('pause commits one audit row naming the token and the client address', async () => {
    const response = await postAction(served, OPERATOR, 'pause');
    const body = await expectDocument(response, 'runAction');
    expect(body).toMatchObject({ action: 'pause', principal: OPERATOR, idempotent: false, control_state: { lifecycle_state: 'paused' } });
    const rows = fs.readFileSync(path.join(served.stateDir, 'control-audit.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ principal: OPERATOR, action: 'pause', auth: `token:${served.tokenIds[OPERATOR]}`, client_address: '127.0.0.1' });
  });

  it('the principal is the token\'s: a principal in the body is refused, in a header ignored', async () => {
    await expectError(await postAction(served, VIEWER, 'pause', { principal: OPERATOR }), 400, 2);
    const denied = await fetchAs(served, VIEWER, run('/actions/pause'), {
      method: 'POST',
      headers: { 'x-principal': OPERATOR, 'x-tau-principal': OPERATOR },
    });
    const error = await expectError(denied, 403, 3);
    expect(error.reason_code).toBe('deny_no_matching_allow');
    expect(error.message).toContain(`principal=${VIEWER}`);
  });

  it('resume dry_run writes nothing; rollback takes its checkpoint', async () => {
    const dry = await expectDocument(await postAction(served, OPERATOR, 'resume', { dry_run: true }), 'runAction');
    expect(dry.diagnostics).toContain('dry run: nothing written');
    expect(fs.existsSync(path.join(served.stateDir, 'control-audit.jsonl'))).toBe(false);
    const checkpoint = path.join(served.stateDir, 'policy-checkpoint.rollback.json');
    const rollback = await expectDocument(await postAction(served, OPERATOR, 'rollback', { checkpoint }), 'runAction');
    expect(rollback).toMatchObject({ action: 'rollback', rollback_checkpoint: checkpoint, checkpoint_run_id: 'run-fallback' });
  });

  it.each<[string, string, unknown]>([
    ['rollback without a checkpoint', 'rollback', {}],
    ['a checkpoint for pause', 'pause', { checkpoint: 'x.json' }],
    ['dry_run for cancel', 'cancel', { dry_run: true }],
    ['dry_run not a boolean', 'resume', { dry_run: 'yes' }],
    ['an unknown key', 'pause', { force: true }],
    ['a body that is not an object', 'pause', [1]],
  ])('400 usage: %s', async (_name, action, body) => {
    await expectError(await postAction(served, OPERATOR, action, body), 400, 2);
    expect(fs.existsSync(path.join(served.stateDir, 'control-audit.jsonl'))).toBe(false);
  });

  it('400 for a body that is not JSON', async () => {
    const response = await fetchAs(served, OPERATOR, run('/actions/pause'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"dry_run": tru',
    });
    await expectError(response, 400, 2);
  });

  it('403 denied, with the reason code, for a principal the policy does not allow', async () => {
    expect((await expectError(await postAction(served, VIEWER, 'cancel'), 403, 3)).reason_code).toBe('deny_no_matching_allow');
    const stranger = await expectError(await postAction(served, STRANGER, 'pause'), 403, 3);
    expect(stranger.reason_code).toBe('deny_unbound_principal');
    expect(stranger.message).toBe(stranger.chain.join(': '));
  });

  it('404 for an unknown run, action or route', async () => {
    await expectError(await fetchAs(served, OPERATOR, '/api/v1/runs/other/status'), 404, 2);
    await expectError(await postAction(served, OPERATOR, 'status'), 404, 2);
    await expectError(await postAction(served, OPERATOR, 'explode'), 404, 2);
    await expectError(await fetchAs(served, OPERATOR, '/api/v1/nothing-here'), 404, 2);
    await expectError(await fetchAs(served, undefined, '/nothing-here'), 404, 2);
  });

  it('413 for a body over the limit, before anything runs', async () => {
    const response = await postAction(served, OPERATOR, 'pause', { checkpoint: 'x'.repeat(32 * 1024) });
    await expectError(response, 413, 2);
    expect(fs.existsSync(path.join(served.stateDir, 'control-audit.jsonl'))).toBe(false);
  });

  it('422 guardrail when resume finds a crash and no checkpoint loads', async () => {
    await expectDocument(await postAction(served, OPERATOR, 'resume'), 'runAction');
    fs.writeFileSync(path.join(served.stateDir, 'policy-checkpoint.json'), '{');
    fs.writeFileSync(path.join(served.stateDir, 'policy-checkpoint.rollback.json'), '{');
    const error = await expectError(await postAction(served, OPERATOR, 'resume'), 422, 4);
    expect(error.message).toMatch(/^resume recovery guardrail: crash detected but checkpoint restore failed/);
  });

  it('500 with the cause chain (no stack) when the policy file is unusable', async () => {
    fs.writeFileSync(served.policyPath, '{"schema_version": 1, ');
    const error = await expectError(await postAction(served, OPERATOR, 'pause'), 500, 1);
    expect(error.chain[0]).toBe("failed to authorize prompt-optimization lifecycle control action 'pause'");
    expect(error.chain.length).toBeGreaterThan(1);
  });
});

describe('audit paging over HTTP', () => {
  beforeEach(() => {
    const lines = Array.from({ length: 2500 }, (_, n) => JSON.stringify({ action: n % 2 === 0 ? 'pause' : 'resume', n: n + 1 }));
    lines.splice(10, 0, '   ');
    fs.writeFileSync(path.join(served.stateDir, 'control-audit.jsonl'), `${lines.join('\n')}\n`);
  });

  it('newest first by default, 100 rows', async () => {
    const body = await expectDocument(await fetchAs(served, VIEWER, run('/audit')), 'auditPage');
    const rows = body.rows as { row: number; line: number; n: number }[];
    expect(body.total_rows).toBe(2500);
    expect(rows).toHaveLength(100);
    expect(rows[0]).toMatchObject({ row: 2500, line: 2501, n: 2500 });
    expect(rows[99]).toMatchObject({ row: 2401 });
  });

  it('after=N ascending and before=N descending, with line numbers counting blank lines', async () => {
    const after = (await expectDocument(await fetchAs(served, VIEWER, run('/audit?after=8&limit=4')), 'auditPage')).rows as { row: number; line: number }[];
    expect(after.map((row) => [row.row, row.line])).toEqual([
      [9, 9],
      [10, 10],
      [11, 12],
      [12, 13],
    ]);
    const before = (await expectDocument(await fetchAs(served, VIEWER, run('/audit?before=1030&limit=1000')), 'auditPage')).rows as { row: number }[];
    expect(before).toHaveLength(1000);
    expect(before[0]!.row).toBe(1029);
    expect(before[999]!.row).toBe(30);
    const past = await expectDocument(await fetchAs(served, VIEWER, run('/audit?after=2500')), 'auditPage');
    expect(past).toEqual({ total_rows: 2500, rows: [] });
  });

  it.each(['limit=0', 'limit=1001', 'after=-1', 'after=abc', 'after=1&before=5', 'after=1&after=2', 'offset=3'])('400 for %s', async (query) => {
    await expectError(await fetchAs(served, VIEWER, run(`/audit?${query}`)), 400, 2);
  });
});

describe('authentication', () => {
  it.each<[string, Record<string, string>]>([
    ['no header', {}],
    ['another scheme', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
    ['not a token', { authorization: 'Bearer hello' }],
    ['a wrong secret', { authorization: `Bearer tpo_${'a'.repeat(12)}_${'b'.repeat(43)}` }],
  ])('401: %s', async (_name, headers) => {
    await expectError(await fetch(`${served.baseUrl}/api/v1/runs`, { headers }), 401, 3);
  });

  it('401 for a known id with a wrong secret', async () => {
    const id = served.tokenIds[OPERATOR]!;
    await expectError(await fetch(`${served.baseUrl}/api/v1/runs`, { headers: { authorization: `Bearer tpo_${id}_${'b'.repeat(43)}` } }), 401, 3);
  });

  it('a revoked token is refused at once, without a restart', async () => {
    expect((await fetchAs(served, OPERATOR, '/api/v1/runs')).status).toBe(200);
    revokeToken(served.tokenStorePath, served.tokenIds[OPERATOR]!);
    await expectError(await fetchAs(served, OPERATOR, '/api/v1/runs'), 401, 3);
  });

  it('an expired token is refused', async () => {
    const { token } = createToken(served.tokenStorePath, { principal: OPERATOR, expiresInMs: 1 }, Date.now() - 1000);
    await expectError(await fetch(`${served.baseUrl}/api/v1/runs`, { headers: { authorization: `Bearer ${token}` } }), 401, 3);
  });

  it('429 after too many failures from one address, even with a good token then', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await expectError(await fetch(`${served.baseUrl}/api/v1/runs`, { headers: { authorization: 'Bearer nope' } }), 401, 3);
    }
    await expectError(await fetchAs(served, OPERATOR, '/api/v1/runs'), 429, 3);
    expect(await (await fetch(`${served.baseUrl}/metrics`)).text()).toMatch(/tau_po_failed_authentications_total\{reason="limited"\} 1/);
  });

  it('successful requests never count towards the limit', async () => {
    for (let attempt = 0; attempt < 12; attempt += 1) expect((await fetchAs(served, OPERATOR, '/api/v1/runs')).status).toBe(200);
  });
});

describe('hardening', () => {
  it.each([
    ['GET', '/healthz', undefined],
    ['GET', '/api/v1/runs', OPERATOR],
    ['GET', '/api/v1/runs', undefined],
    ['GET', '/missing', undefined],
    ['GET', '/', undefined],
    ['POST', '/api/v1/runs/default/actions/cancel', VIEWER],
  ])('security headers and no CORS on %s %s', async (method, route, principal) => {
    const response = await fetchAs(served, principal, route, { method, headers: { origin: 'https://evil.example' } });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    // Served over plain HTTP behind --insecure-http, the page must not be told to upgrade its asset URLs.
    expect(response.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    await response.arrayBuffer();
  });

  it('a CORS preflight gets no CORS headers', async () => {
    const response = await fetch(`${served.baseUrl}/api/v1/runs`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).toBeNull();
    await response.arrayBuffer();
  });
});

describe('lock exclusion with local commands', () => {
  let holder: ChildProcess | undefined;
  afterEach(() => {
    holder?.kill('SIGKILL');
  });

  it('409 busy while another process holds the state-dir lock; nothing written', async () => {
    fs.mkdirSync(served.stateDir, { recursive: true });
    holder = await startLockHolder(served.stateDir);
    const error = await expectError(await postAction(served, OPERATOR, 'pause'), 409, 5);
    expect(error.message).toMatch(/busy|lock/i);
    expect(fs.existsSync(path.join(served.stateDir, 'control-audit.jsonl'))).toBe(false);
    expect(await (await fetch(`${served.baseUrl}/metrics`)).text()).toContain('tau_po_lock_busy_total{run="default"} 1');
  });
});

describe('dashboard files', () => {
  it('serves a built dashboard: immutable assets, revalidated index', async () => {
    const dashboardDir = path.join(served.root, 'dashboard');
    fs.mkdirSync(path.join(dashboardDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dashboardDir, 'index.html'), '<!doctype html><title>dash</title>');
    fs.writeFileSync(path.join(dashboardDir, 'assets', 'app-1a2b3c.js'), 'console.log(1)');
    const other = await startServedWorkspace({ dashboardDir });
    try {
      const index = await fetch(`${other.baseUrl}/`);
      expect(await index.text()).toContain('<title>dash</title>');
      expect(index.headers.get('cache-control')).toBe('no-cache');
      const asset = await fetch(`${other.baseUrl}/assets/app-1a2b3c.js`);
      expect(await asset.text()).toBe('console.log(1)');
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
      await expectError(await fetch(`${other.baseUrl}/assets/missing.js`), 404, 2);
      await expectError(await fetch(`${other.baseUrl}/../rbac.json`), 404, 2);
    } finally {
      await other.close();
    }
  });

  it('says the dashboard is not built when there is none', async () => {
    const response = await fetch(`${served.baseUrl}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('dashboard is not built');
  });
});

describe('malformed HTTP', () => {
  it('gets 400 with the error body and security headers', async () => {
    const net = await import('node:net');
    const socket = net.connect(Number(new URL(served.baseUrl).port), '127.0.0.1');
    socket.write('GARBAGE\r\n\r\n');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    await new Promise((resolve) => socket.once('close', resolve));
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toMatch(/x-content-type-options: nosniff/i);
    expect(apiErrorBodySchema.parse(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).error.exit_code).toBe(2);
  });
});

describe('request timeout', () => {
  async function rawExchange(baseUrl: string, request: string): Promise<{ ms: number; answer: string }> {
    const { port } = new URL(baseUrl);
    const net = await import('node:net');
    const socket = net.connect(Number(port), '127.0.0.1');
    socket.write(request);
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    const started = Date.now();
    await new Promise<void>((resolve) => {
      socket.on('data', () => answer.includes('\r\n\r\n') && socket.destroy());
      socket.once('close', () => resolve());
    });
    return { ms: Date.now() - started, answer };
  }

  it('a client that never finishes its headers gets 408', async () => {
    const slow = await startServedWorkspace({ requestTimeoutMs: 300 });
    try {
      const { ms, answer } = await rawExchange(slow.baseUrl, 'GET /healthz HTTP/1.1\r\nHost: x\r\n');
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(answer).toMatch(/x-content-type-options: nosniff/i);
      expect(ms).toBeLessThan(5_000);
    } finally {
      await slow.close();
    }
  });

  it('an authenticated client that never finishes its body gets 408 and nothing is written', async () => {
    const slow = await startServedWorkspace({ requestTimeoutMs: 300 });
    try {
      const { ms, answer } = await rawExchange(
        slow.baseUrl,
        `POST /api/v1/runs/default/actions/pause HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${slow.tokens[OPERATOR]}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(ms).toBeLessThan(5_000);
      expect(fs.existsSync(path.join(slow.stateDir, 'control-audit.jsonl'))).toBe(false);
    } finally {
      await slow.close();
    }
  });
});
