// Node's `requestTimeout` stops counting once a request's headers are in and
// Fastify starts reading the body, so a client that sends the headers and
// then trickles (or never sends) the body would hold a connection and a
// request forever. This hook gives every request with a body a deadline for
// the whole body; missing it fails the request with 408.
import type { FastifyInstance } from 'fastify';
import { ApiHttpError } from './api-http-error.js';
import { errorReplyOf } from './error-replies.js';
import { EXIT_CODES } from '@tau/recovery';

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (typeof length === 'string' && length !== '0');
}

/** Installs the body deadline (`timeoutMs` from the first byte of the request's handling). */
export function installRequestBodyTimeout(app: FastifyInstance, timeoutMs: number): void {
  app.addHook('preParsing', async (request, reply, payload) => {
    if (!hasBody(request.headers)) return payload;
    const timer = setTimeout(() => {
      if (reply.sent) return;
      // Answered here, then the connection is closed: the rest of the body is never read.
      const { status, body } = errorReplyOf(new ApiHttpError(408, `request body not received within ${timeoutMs} ms`, EXIT_CODES.usage));
      reply.raw.once('finish', () => request.raw.socket.destroy());
      void reply.code(status).header('connection', 'close').type('application/json; charset=utf-8').send(body);
    }, timeoutMs);
    const clear = (): void => clearTimeout(timer);
    payload.once('end', clear);
    payload.once('close', clear);
    payload.once('error', clear);
    return payload;
  });
}
