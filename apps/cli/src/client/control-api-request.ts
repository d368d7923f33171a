// The HTTP exchange of client mode: one request with Node's built-in fetch
// (undici; no client library needed for one JSON request), the answer read
// with a bound and parsed as strict JSON. The server is not trusted more
// than a file would be: an oversized, non-JSON or shapeless answer is a
// failure naming the server, never output.
import { apiErrorBodySchema, escapeTerminalText, parseJsonStrict } from '@tau/schemas';
import type { RemoteCall } from './remote-call-plan.js';

/** Larger than any document the API returns (doctor, a verify with every finding listed). */
export const RESPONSE_MAX_BYTES = 64 * 1024 * 1024;

/** How long one command may take, connection to last byte (a resume replays the whole log). */
export const REQUEST_TIMEOUT_MS = 120_000;

/** A successful answer: its JSON text (as sent) and the parsed value. */
export interface RemoteAnswer {
  readonly text: string;
  readonly document: unknown;
}

/** The server refused the command: its error document, as the local CLI would have reported it. */
export class RemoteCommandError extends Error {
  override name = 'RemoteCommandError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/**
 * The server's message, safe for a terminal: it is already escaped by the
 * server (backslashes included), so only characters an honest server never
 * sends are escaped here; an honest message is printed byte for byte.
 */
export function terminalSafeServerMessage(message: string): string {
  return message.split('\\').map(escapeTerminalText).join('\\');
}

/** The CLI's exit code for an error document's `exit_code` (1 unless a documented failure code). */
export function exitCodeOfErrorDocument(exitCode: number): number {
  return Number.isInteger(exitCode) && exitCode >= 1 && exitCode <= 5 ? exitCode : 1;
}

async function readBounded(response: Response, describe: string, maxBytes: number): Promise<string> {
  const tooLarge = (): Error => new Error(`${describe}: answer larger than ${maxBytes} bytes`);
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (response.body === null) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch (cause) {
    throw new Error(`${describe}: answer is not UTF-8`, { cause });
  }
}

/**
 * Sends one call to the server at `base` with the bearer token.
 *
 * @returns the 2xx answer.
 * @throws RemoteCommandError for the server's error document; Error (exit 1)
 *   when the server cannot be reached or answers something else.
 */
export async function sendRemoteCall(
  base: URL,
  token: string,
  call: Pick<RemoteCall, 'method' | 'path' | 'body'>,
  userAgent: string,
  limits: { maxResponseBytes?: number; timeoutMs?: number } = {},
): Promise<RemoteAnswer> {
  const url = new URL(call.path, base);
  const server = escapeTerminalText(base.href);
  let response: Response;
  try {
    response = await fetch(url, {
      method: call.method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        'user-agent': userAgent,
        ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      // Never followed: a redirect would carry the token to wherever the server points.
      redirect: 'manual',
      signal: AbortSignal.timeout(limits.timeoutMs ?? REQUEST_TIMEOUT_MS),
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'TimeoutError') {
      throw new Error(`no answer from the control server at ${server} within ${(limits.timeoutMs ?? REQUEST_TIMEOUT_MS) / 1000} s`, { cause });
    }
    throw new Error(`cannot reach the control server at ${server}`, { cause });
  }
  const describe = `control server ${server} (HTTP ${response.status})`;
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    throw new Error(`${describe}: answered a redirect, which is never followed (the token would go along)`);
  }
  let text: string;
  try {
    text = await readBounded(response, describe, limits.maxResponseBytes ?? RESPONSE_MAX_BYTES);
  } catch (cause) {
    if (cause instanceof Error && cause.message.startsWith(describe)) throw cause;
    throw new Error(`${describe}: answer not received`, { cause });
  }
  let document: unknown;
  try {
    document = parseJsonStrict(text);
  } catch (cause) {
    throw new Error(`${describe}: answer is not a JSON document`, { cause });
  }
  if (response.status >= 200 && response.status < 300) return { text, document };
  const parsed = apiErrorBodySchema.safeParse(document);
  if (!parsed.success) throw new Error(`${describe}: answer is not an error document`);
  throw new RemoteCommandError(terminalSafeServerMessage(parsed.data.error.message), exitCodeOfErrorDocument(parsed.data.error.exit_code));
}
