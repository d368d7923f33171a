import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { registerApiRoute } from './api-route-registration.js';
import type { ServerContext, ServedRun } from './server-context.js';

function isServable(run: ServedRun): boolean {
  // A state directory that does not exist yet is created by the first mutating command, if its parent exists.
  const stat = fs.statSync(run.stateDir, { throwIfNoEntry: false });
  if (stat !== undefined) return stat.isDirectory();
  return fs.statSync(path.dirname(path.resolve(run.stateDir)), { throwIfNoEntry: false })?.isDirectory() === true;
}

/** /healthz, /readyz and /metrics (no authentication: they say nothing about any run's content). */
export function registerHealthRoutes(app: FastifyInstance, context: ServerContext): void {
  registerApiRoute(app, 'healthz', async () => ({ status: 'ok' }));

  registerApiRoute(app, 'readyz', async (_request, reply) => {
    let tokensReadable = true;
    try {
      context.tokens.current();
    } catch {
      tokensReadable = false;
    }
    const runs = [...context.runs.values()].map((run) => ({ name: run.name, ready: tokensReadable && isServable(run) }));
    const ready = runs.every((run) => run.ready);
    return reply.code(ready ? 200 : 503).send({ ready, runs });
  });

  registerApiRoute(app, 'metrics', async (_request, reply) => {
    const text = await context.metrics.registry.metrics();
    return reply.type(context.metrics.registry.contentType).send(text);
  });
}
