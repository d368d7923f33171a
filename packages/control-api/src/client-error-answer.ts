// What a connection gets when Node's HTTP parser rejects it before Fastify
// sees a request (headers too slow: 408; malformed or oversized headers:
// 400/431): the API's error body and the security headers, then close.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

const HEADERS = [
  'Content-Type: application/json; charset=utf-8',
  'Connection: close',
  "Content-Security-Policy: default-src 'none'",
  'X-Content-Type-Options: nosniff',
  'X-Frame-Options: SAMEORIGIN',
  'Referrer-Policy: no-referrer',
  'Cache-Control: no-store',
];

/** The raw HTTP answer for a parser-level client error (pure). */
export function clientErrorAnswer(code: string | undefined): string {
  const status = code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const message =
    status === 408 ? 'request not received in time' : status === 431 ? 'request headers too large' : 'malformed HTTP request';
  const body = JSON.stringify({ error: { message, chain: [message], exit_code: 2 } });
  return `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${HEADERS.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Fastify's `clientErrorHandler`. */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(clientErrorAnswer(error.code));
}
