import { EXIT_CODES, type ExitCode } from '@tau/recovery';

/**
 * A refusal of the HTTP layer that no command made (no or bad token, unknown
 * run or route, too many failed authentications): its status and the exit
 * code a client CLI reports for it.
 */
export class ApiHttpError extends Error {
  override name = 'ApiHttpError';
  constructor(
    readonly statusCode: 400 | 401 | 404 | 408 | 413 | 429,
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

/** 401: the token is missing, malformed, unknown, revoked or expired (the reason is logged, never told). */
export const unauthenticated = (): ApiHttpError =>
  new ApiHttpError(401, 'authentication required: send Authorization: Bearer <token> with a valid token', EXIT_CODES.denied);

/** 404: no such run. */
export const unknownRun = (run: string): ApiHttpError =>
  new ApiHttpError(404, `unknown run '${run}'`, EXIT_CODES.usage);

/** 404: no such route. */
export const unknownRoute = (method: string, url: string): ApiHttpError =>
  new ApiHttpError(404, `no route ${method} ${url}`, EXIT_CODES.usage);

/** 429: this client failed to authenticate too often. */
export const tooManyFailures = (retryAfterSeconds: number): ApiHttpError =>
  new ApiHttpError(
    429,
    `too many failed authentications from this address; retry in ${retryAfterSeconds} s`,
    EXIT_CODES.denied,
  );
