// The dashboard's only door to the server: same-origin fetch with the bearer
// token (never a cookie, so there is no CSRF surface). Response types are the
// @tau/schemas types of each route, imported as types only: the server checks
// its documents against those schemas, and bundling zod (and the schema
// package's Node-side readers) would cost the page bytes without catching
// anything the server's own tests do not.
import type { ApiActionBody, ApiErrorBody, ApiMutatingAction } from '@tau/schemas';

/** An error answer (or a failed request) with the server's message, reason code and exit code. */
export class ControlApiError extends Error {
  override name = 'ControlApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly reasonCode: string | undefined,
    readonly exitCode: number | undefined,
    readonly chain: readonly string[],
  ) {
    super(message);
  }
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
}

async function answerOf<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.ok && body !== undefined) return body as T;
  if (isErrorBody(body)) {
    const { message, reason_code, exit_code, chain } = body.error;
    throw new ControlApiError(message, response.status, reason_code, exit_code, Array.isArray(chain) ? chain : []);
  }
  throw new ControlApiError(`the server answered HTTP ${response.status} without a readable body`, response.status, undefined, undefined, []);
}

/** Calls the control API as the holder of `token`. */
export class ControlApiClient {
  constructor(readonly token: string) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, accept: 'application/json', ...extra };
  }

  async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`/api/v1${path}`, { headers: this.headers(), signal, cache: 'no-store' });
    } catch (error) {
      if (signal?.aborted === true) throw error;
      throw new ControlApiError(`the server did not answer (${(error as Error).message})`, 0, undefined, undefined, []);
    }
    return answerOf<T>(response);
  }

  /** `POST /api/v1/runs/:run/actions/:action`; resolves to the CLI's `--json` document for that command. */
  async act<T>(run: string, action: ApiMutatingAction, body: ApiActionBody): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`/api/v1/runs/${encodeURIComponent(run)}/actions/${action}`, {
        method: 'POST',
        headers: this.headers({ 'content-type': 'application/json' }),
        body: JSON.stringify(body),
        cache: 'no-store',
      });
    } catch (error) {
      throw new ControlApiError(`the server did not answer (${(error as Error).message})`, 0, undefined, undefined, []);
    }
    return answerOf<T>(response);
  }
}

/** The path of a run's route. */
export function runPath(run: string, route = ''): string {
  return `/runs/${encodeURIComponent(run)}${route}`;
}
