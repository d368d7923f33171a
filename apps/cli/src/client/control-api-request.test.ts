// sendRemoteCall against a hostile server: a real HTTP server on 127.0.0.1
// answering whatever each case needs. Nothing it sends may become output
// unchecked, hang the client, or follow it somewhere else.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeOfErrorDocument, RemoteCommandError, sendRemoteCall, terminalSafeServerMessage } from './control-api-request.js';
import type { RemoteCall } from './remote-call-plan.js';

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;
const handlers = new Map<string, Handler>();
const seen: { method: string; url: string; authorization: string | undefined; body: string }[] = [];
let server: http.Server;
let base: URL;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', authorization: request.headers.authorization, body });
      const handler = handlers.get(request.url ?? '');
      if (handler === undefined) {
        response.writeHead(404).end();
        return;
      }
      handler(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

function call(path: string, extra: Partial<RemoteCall> = {}): RemoteCall {
  return { method: 'GET', path: path.slice(1), answer: 'control', json: true, ...extra };
}

function json(status: number, body: string): Handler {
  return (_request, response) => response.writeHead(status, { 'content-type': 'application/json' }).end(body);
}

const send = (path: string, extra: Partial<RemoteCall> = {}, limits = {}) => sendRemoteCall(base, 'tpo_0123456789ab_s', call(path, extra), 'tau-po/test', limits);

describe('sendRemoteCall', () => {
  it('sends the bearer token, the JSON body, and returns the answer as sent', async () => {
    handlers.set('/ok', json(200, '{"a": 1}'));
    const answer = await send('/ok', { method: 'POST', body: { dry_run: true } });
    expect(answer).toEqual({ text: '{"a": 1}', document: { a: 1 } });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', authorization: 'Bearer tpo_0123456789ab_s', body: '{"dry_run":true}' });
  });

  it('an error document becomes the local error line and exit code', async () => {
    handlers.set('/busy', json(409, JSON.stringify({ error: { message: 'state directory is busy', chain: ['x'], exit_code: 5 } })));
    await expect(send('/busy')).rejects.toEqual(new RemoteCommandError('state directory is busy', 5));
  });

  it.each([
    ['not JSON', json(200, '<html>'), /answer is not a JSON document/],
    ['duplicate keys (strict JSON)', json(200, '{"a":1,"a":2}'), /answer is not a JSON document/],
    ['an integer JavaScript would round', json(200, '{"a":12345678901234567890}'), /answer is not a JSON document/],
    ['empty', json(200, ''), /answer is not a JSON document/],
    ['invalid UTF-8', (_q: http.IncomingMessage, r: http.ServerResponse) => r.writeHead(200).end(Buffer.from([0x7b, 0xff, 0x7d])), /answer is not UTF-8/],
    ['an error without the error document', json(500, '{"oops": true}'), /HTTP 500\): answer is not an error document/],
    ['a redirect', (_q: http.IncomingMessage, r: http.ServerResponse) => r.writeHead(302, { location: 'http://127.0.0.1:1/steal' }).end(), /answered a redirect, which is never followed/],
    ['a connection cut mid-answer', (_q: http.IncomingMessage, r: http.ServerResponse) => {
      r.writeHead(200, { 'content-length': '1000' });
      r.write('{"a":');
      setTimeout(() => r.destroy(), 20);
    }, /answer not received/],
  ])('refuses %s (exit 1, naming the server)', async (_name, handler, message) => {
    const path = `/case-${seen.length}-${Math.random().toString(16).slice(2)}`;
    handlers.set(path, handler as Handler);
    const failure = await send(path).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(RemoteCommandError);
    expect((failure as Error).message).toMatch(message);
    expect((failure as Error).message).toContain(`control server ${base.href}`);
  });

  it('never follows the redirect', async () => {
    const before = seen.length;
    handlers.set('/redirect-to-steal', (_q, r) => r.writeHead(307, { location: '/steal' }).end());
    await expect(send('/redirect-to-steal')).rejects.toThrow(/redirect/);
    expect(seen.slice(before).map((entry) => entry.url)).toEqual(['/redirect-to-steal']);
  });

  it('stops reading an answer larger than the bound (declared or streamed)', async () => {
    handlers.set('/declared', json(200, `"${'x'.repeat(2000)}"`));
    await expect(send('/declared', {}, { maxResponseBytes: 1000 })).rejects.toThrow(/answer larger than 1000 bytes/);
    handlers.set('/streamed', (_q, r) => {
      r.writeHead(200, { 'content-type': 'application/json' });
      r.write(`"${'x'.repeat(800)}`);
      r.write(`${'x'.repeat(800)}"`);
      r.end();
    });
    await expect(send('/streamed', {}, { maxResponseBytes: 1000 })).rejects.toThrow(/answer larger than 1000 bytes/);
  });

  it('gives up on a server that never answers', async () => {
    handlers.set('/silent', () => undefined);
    await expect(send('/silent', {}, { timeoutMs: 200 })).rejects.toThrow(`no answer from the control server at ${base.href} within 0.2 s`);
  });

  it('a server that is down: one line naming it', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(sendRemoteCall(new URL(`http://127.0.0.1:${port}/`), 't', call('/x'), 'ua')).rejects.toThrow(
      `cannot reach the control server at http://127.0.0.1:${port}/`,
    );
  });
});

describe('the error document', () => {
  it('an honest (already escaped) message is printed byte for byte; raw control characters are escaped', () => {
    expect(terminalSafeServerMessage("path 'a\\\\b\\nc': denied")).toBe("path 'a\\\\b\\nc': denied");
    expect(terminalSafeServerMessage('evil\n\u001b[2Jsecond line\u202e')).toBe('evil\\n\\u{1b}[2Jsecond line\\u{202e}');
  });

  it.each([
    [1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [0, 1], [6, 1], [-3, 1], [2.5, 1], [Number.NaN, 1],
  ])('exit_code %s exits %s', (documented, exitCode) => {
    expect(exitCodeOfErrorDocument(documented)).toBe(exitCode);
  });
});
