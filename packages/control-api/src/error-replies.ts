// The error answer of every route: `{error: {message, chain, exit_code,
// reason_code?}}` with the status from @tau/recovery's one mapping. Messages
// are the CLI's; a bug's message (a TypeError, say) and every stack trace
// stay in the server's log.
import { describeControlError, EXIT_CODES, type ControlErrorDocument } from '@tau/recovery';
import { ApiHttpError } from './api-http-error.js';

/** What to answer for an error. */
export interface ErrorReply {
  status: number;
  body: ControlErrorDocument;
  /** True when the error is a defect of the server, to be logged at error level. */
  internal: boolean;
}

const INTERNAL_MESSAGE = 'internal error (the server log has the details)';

function isProgrammingError(error: unknown): boolean {
  return (
    error instanceof TypeError ||
    error instanceof RangeError ||
    error instanceof ReferenceError ||
    error instanceof SyntaxError ||
    error instanceof EvalError
  );
}

function simple(status: number, message: string, exitCode: number): ErrorReply {
  return {
    status,
    body: { error: { message, chain: [message], exit_code: exitCode as ControlErrorDocument['error']['exit_code'] } },
    internal: false,
  };
}

/** Fastify's own 4xx errors (bad JSON, media type, body too large), by their code. */
function fastifyClientError(error: unknown): { statusCode: number; message: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, statusCode, message } = error as { code?: unknown; statusCode?: unknown; message?: unknown };
  if (typeof code !== 'string' || !code.startsWith('FST_') || typeof statusCode !== 'number') return undefined;
  if (statusCode < 400 || statusCode >= 500 || typeof message !== 'string') return undefined;
  return { statusCode, message };
}

/** The reply for any error a route or hook threw. */
export function errorReplyOf(error: unknown): ErrorReply {
  if (error instanceof ApiHttpError) return simple(error.statusCode, error.message, error.exitCode);
  const described = describeControlError(error);
  // A command's own refusal (usage, denied, guardrail, busy), validation errors included.
  if (described.exitCode !== EXIT_CODES.failure) {
    return { status: described.httpStatus, body: described.document, internal: false };
  }
  const fastifyError = fastifyClientError(error);
  if (fastifyError !== undefined) {
    if (fastifyError.statusCode === 413) return simple(413, 'request body too large', EXIT_CODES.usage);
    return simple(400, `bad request: ${fastifyError.message}`, EXIT_CODES.usage);
  }
  if (isProgrammingError(error)) {
    return { ...simple(500, INTERNAL_MESSAGE, EXIT_CODES.failure), internal: true };
  }
  return { status: described.httpStatus, body: described.document, internal: described.httpStatus >= 500 };
}
