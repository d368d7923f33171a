// POST /api/v1/runs/:run/actions/:action: the control command the CLI runs,
// as the token's principal, with the audit row saying how it was
// authenticated. Everything is decided by @tau/recovery's runControlCommand.
import type { FastifyInstance } from 'fastify';
import { describeControlError, renderControlJsonDocument, runControlCommand } from '@tau/recovery';
import { apiMutatingActionSchema, type ApiActionBody } from '@tau/schemas';
import { registerApiRoute } from './api-route-registration.js';
import { unknownRoute } from './api-http-error.js';
import { NO_LOCAL_PRINCIPAL } from './run-read-routes.js';
import { runOf } from './served-run-lookup.js';
import type { ServerContext } from './server-context.js';
import { outcomeLabel } from './server-metrics.js';

/** Registers the action route. */
export function registerActionRoutes(app: FastifyInstance, context: ServerContext): void {
  registerApiRoute(app, 'runAction', async (request, reply) => {
    const { run, auth } = runOf(request, context);
    const parsedAction = apiMutatingActionSchema.safeParse((request.params as { action: string }).action);
    if (!parsedAction.success) throw unknownRoute(request.method, request.url);
    const action = parsedAction.data;
    const body = (request.body ?? {}) as ApiActionBody;
    const dryRun = body.dry_run === true;
    const timer = (dryRun ? context.metrics.decisionSeconds : context.metrics.commitSeconds).startTimer({ action });
    try {
      const outcome = await runControlCommand(
        {
          action,
          stateDir: run.stateDir,
          rbacPolicyPath: run.rbacPolicyPath,
          principal: auth.principal,
          ...(body.checkpoint === undefined ? {} : { rollbackCheckpoint: body.checkpoint }),
          ...(body.dry_run === undefined ? {} : { dryRun: body.dry_run }),
          attribution: { auth: `token:${auth.tokenId}`, client_address: request.ip },
        },
        NO_LOCAL_PRINCIPAL,
      );
      context.metrics.commands.inc({ action, outcome: 'ok' });
      if (!dryRun) context.metrics.auditRows.set({ run: run.name }, (run.auditIndex.refresh(), run.auditIndex.totalRows));
      return reply.type('application/json; charset=utf-8').send(renderControlJsonDocument(outcome));
    } catch (error) {
      const { exitCode } = describeControlError(error);
      context.metrics.commands.inc({ action, outcome: outcomeLabel(exitCode) });
      if (outcomeLabel(exitCode) === 'busy') context.metrics.lockWaits.inc({ run: run.name });
      throw error;
    } finally {
      timer();
    }
  });
}
