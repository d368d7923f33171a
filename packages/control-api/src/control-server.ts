// Assembles the control API server: one Fastify instance, one plugin per
// concern (security headers, authentication, routes, events, health and
// metrics, the dashboard, errors), over the runs it is given.
import type { Server } from 'node:http';
import helmet from '@fastify/helmet';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { registerActionRoutes } from './action-routes.js';
import { unknownRoute } from './api-http-error.js';
import { answerClientError } from './client-error-answer.js';
import { installZodCompilers } from './api-route-registration.js';
import { registerAuditRoutes } from './audit-routes.js';
import { AuditRowIndex } from './audit-row-index.js';
import { StatusDocumentCache } from './status-document-cache.js';
import { installAuthentication } from './authentication-hook.js';
import { registerDashboard } from './dashboard-static.js';
import { errorReplyOf } from './error-replies.js';
import { registerEventStream } from './event-stream.js';
import { FailedAuthLimiter, type FailedAuthLimit } from './failed-auth-limiter.js';
import { registerHealthRoutes } from './health-routes.js';
import { registerRunReadRoutes } from './run-read-routes.js';
import { installRequestBodyTimeout } from './request-body-timeout.js';
import type { ControlServerRun } from './server-config.js';
import type { ServedRun, ServerContext } from './server-context.js';
import { createServerMetrics } from './server-metrics.js';
import { stateDirPaths } from '@tau/recovery';
import { TokenStoreView } from './token-store.js';

/** Everything a control server needs. */
export interface ControlServerOptions {
  runs: readonly ControlServerRun[];
  tokenStorePath: string;
  /** The dashboard's built files; absent or without index.html: a page saying it is not built. */
  dashboardDir?: string;
  /** A pino logger (JSON lines); false for none. */
  logger: Logger | false;
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { cert: Buffer; key: Buffer };
  /** Largest request body accepted (bytes); default 16 KiB (an action body is a few dozen bytes). */
  bodyLimitBytes?: number;
  /** Time allowed to receive a whole request (ms); default 10 s. */
  requestTimeoutMs?: number;
  /** Failed authentications allowed per client address; default 20 per minute. */
  failedAuthLimit?: FailedAuthLimit;
  /** Poll interval of the event stream (ms); default 1000. */
  eventPollMs?: number;
}

/** Every file `status` reads (and the directory holding them), for its document cache. */
function statusInputPaths(run: ControlServerRun): string[] {
  const paths = stateDirPaths(run.stateDir);
  return [
    run.stateDir,
    paths.controlState,
    paths.controlAudit,
    paths.controlAuditHead,
    paths.trainingStatus,
    paths.recoveryReport,
    paths.pendingRecoveryReport,
    paths.primaryCheckpoint,
    `${paths.primaryCheckpoint}.sha256`,
    paths.fallbackCheckpoint,
    `${paths.fallbackCheckpoint}.sha256`,
    run.rbacPolicyPath,
  ];
}

/** Builds (does not start) a control server. */
export async function buildControlServer(options: ControlServerOptions): Promise<FastifyInstance> {
  const runs = new Map<string, ServedRun>(
    options.runs.map((run) => [
      run.name,
      {
        ...run,
        auditIndex: new AuditRowIndex(stateDirPaths(run.stateDir).controlAudit),
        statusCache: new StatusDocumentCache({ paths: statusInputPaths(run) }),
      },
    ]),
  );
  // Index each run's audit log now, not on the first page asked for: at a million rows that
  // is seconds the first dashboard sign-in would otherwise wait. A log that cannot be read
  // is reported by the route that reads it.
  for (const run of runs.values()) {
    try {
      run.auditIndex.refresh();
    } catch {
      // The audit routes answer with the error.
    }
  }
  const context: ServerContext = {
    runs,
    tokens: new TokenStoreView(options.tokenStorePath),
    limiter: new FailedAuthLimiter(options.failedAuthLimit ?? { maxFailures: 20, windowMs: 60_000 }),
    metrics: createServerMetrics(),
    eventPollMs: options.eventPollMs ?? 1000,
  };
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const checkInterval = Math.max(100, Math.min(1_000, Math.floor(requestTimeoutMs / 2)));
  const app = Fastify({
    ...(options.logger === false ? { logger: false } : { loggerInstance: options.logger }),
    // Node checks request timeouts every connectionsCheckingInterval (30 s by default): often enough to honour requestTimeout.
    ...(options.tls === undefined
      ? { http: { connectionsCheckingInterval: checkInterval } }
      : { https: { cert: options.tls.cert, key: options.tls.key, connectionsCheckingInterval: checkInterval } }),
    bodyLimit: options.bodyLimitBytes ?? 16 * 1024,
    requestTimeout: requestTimeoutMs,
    connectionTimeout: 0,
    keepAliveTimeout: 5_000,
    // Closing: idle keep-alive connections are dropped at once; busy ones finish their request.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    clientErrorHandler: answerClientError,
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
    // Our own: a request id per request, not trusted from the client.
    requestIdHeader: false,
    // One log line per request (below) instead of Fastify's two: half the logging cost at thousands of requests a second.
    logController: new LogController({ disableRequestLogging: true }),
  }) as unknown as FastifyInstance<Server>;

  installZodCompilers(app);
  // Security headers on every answer (errors and 404s too). CORS stays off: no Access-Control-* header is ever sent.
  // Without upgrade-insecure-requests: behind `--insecure-http` a browser would otherwise
  // rewrite the dashboard's asset URLs to https and load nothing.
  await app.register(helmet, { global: true, contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
  installAuthentication(app, context);
  installRequestBodyTimeout(app, requestTimeoutMs);

  app.setErrorHandler(async (error, request, reply) => {
    const { status, body, internal } = errorReplyOf(error);
    if (internal) request.log.error({ err: error }, 'request failed');
    return reply.code(status).type('application/json; charset=utf-8').send(body);
  });
  app.setNotFoundHandler(async (request) => {
    throw unknownRoute(request.method, request.url.split('?')[0] ?? '');
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    context.metrics.requests.inc({ route, status: String(reply.statusCode) });
    request.log.info(
      {
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 100) / 100,
        client: request.ip,
        ...(request.auth === null ? {} : { token: request.auth.tokenId, principal: request.auth.principal }),
      },
      'request',
    );
  });

  registerHealthRoutes(app, context);
  registerRunReadRoutes(app, context);
  registerActionRoutes(app, context);
  registerAuditRoutes(app, context);
  registerEventStream(app, context);
  await registerDashboard(app, options.dashboardDir);
  return app;
}
