import type { FastifyRequest } from 'fastify';
import { unauthenticated, unknownRun } from './api-http-error.js';
import type { RequestAuth, ServedRun, ServerContext } from './server-context.js';

/** The run named by `:run`, and the authenticated principal; 404 for an unknown run. */
export function runOf(request: FastifyRequest, context: ServerContext): { run: ServedRun; auth: RequestAuth } {
  if (request.auth === null) throw unauthenticated();
  const name = (request.params as { run: string }).run;
  const run = context.runs.get(name);
  if (run === undefined) throw unknownRun(name);
  return { run, auth: request.auth };
}
