// audit timeline's paging against a real HTTP server on 127.0.0.1 that
// answers pages as a (possibly misbehaving) control server would.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRemoteCall } from './control-api-request.js';
import { runRemoteAuditTimeline } from './remote-audit-timeline.js';

const STATUS = {
  schema_version: 1, state_dir: 's', control_state_path: 's/control-state.json', control_audit_path: 's/control-audit.jsonl',
  action: 'status', principal: 'p', idempotent: null, rollback_checkpoint: null, checkpoint_run_id: null, recovery_report_path: null,
  recovery_checkpoint_source: null, recovery_crash_detected: null, recovery_replayed_audit_events: null, control_state: null, training_status: null,
};
const row = (n: number) => ({
  schema_version: 1, timestamp_unix_ms: 1_717_171_000_000 + n, principal: 'p', action: n % 2 === 1 ? 'pause' : 'resume',
  action_key: 'k', lifecycle_state: n % 2 === 1 ? 'paused' : 'running', idempotent: false, rollback_checkpoint: null,
  recovery_checkpoint_source: null, row: n, line: n,
});

let pages: (after: number) => unknown;
const requested: string[] = [];
let server: http.Server;
let base: URL;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    requested.push(`${url.pathname}${url.search}`);
    const body = url.pathname.endsWith('/status') ? STATUS : pages(Number(url.searchParams.get('after')));
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
});
afterAll(() => server.close());

const timeline = (json: boolean) =>
  runRemoteAuditTimeline((path) => sendRemoteCall(base, 't', { method: 'GET', path }, 'ua'), 'alpha', { json, color: false });

describe('runRemoteAuditTimeline', () => {
  it('reads every page, 1000 rows at a time, and renders them as the local command does', async () => {
    const total = 2500;
    pages = (after) => ({ total_rows: total, rows: Array.from({ length: Math.min(1000, total - after) }, (_, i) => row(after + i + 1)) });
    requested.length = 0;
    const outcome = await timeline(true);
    expect(requested).toEqual([
      '/api/v1/runs/alpha/status',
      '/api/v1/runs/alpha/audit?after=0&limit=1000',
      '/api/v1/runs/alpha/audit?after=1000&limit=1000',
      '/api/v1/runs/alpha/audit?after=2000&limit=1000',
    ]);
    const document = JSON.parse(outcome.stdout) as { audit_path: string; rows: { line: number; action: string }[] };
    expect(document.audit_path).toBe('s/control-audit.jsonl');
    expect(document.rows.map((r) => r.line)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(Object.keys(document.rows[0]!)).not.toContain('row');
  });

  it.each([
    ['repeats a page', () => ({ total_rows: 5, rows: [row(1), row(2)] })],
    ['goes backwards', (after: number) => ({ total_rows: 5, rows: [row(after === 0 ? 3 : 1)] })],
  ])('a server that %s is refused rather than followed forever', async (_name, page) => {
    pages = page;
    await expect(timeline(false)).rejects.toThrow("the control server's audit pages do not move forward");
  });

  it('a page of the wrong shape is refused', async () => {
    pages = () => ({ rows: 'nope' });
    await expect(timeline(false)).rejects.toThrow("the control server's answer is not an audit page");
  });
});
