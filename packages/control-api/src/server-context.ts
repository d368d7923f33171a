import type { AuditRowIndex } from './audit-row-index.js';
import type { FailedAuthLimiter } from './failed-auth-limiter.js';
import type { ServerMetrics } from './server-metrics.js';
import type { StatusDocumentCache } from './status-document-cache.js';
import type { ControlServerRun } from './server-config.js';
import type { TokenStoreView } from './token-store.js';

/** One served run and its audit index. */
export interface ServedRun extends ControlServerRun {
  auditIndex: AuditRowIndex;
  /** The status document per principal, reused while its input files are unchanged. */
  statusCache: StatusDocumentCache;
}

/** What every route plugin shares. */
export interface ServerContext {
  runs: ReadonlyMap<string, ServedRun>;
  tokens: TokenStoreView;
  limiter: FailedAuthLimiter;
  metrics: ServerMetrics;
  /** How often the event stream polls the state directory besides fs.watch. */
  eventPollMs: number;
}

/** How the request's principal was authenticated. */
export interface RequestAuth {
  principal: string;
  tokenId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every /api/v1 request that passed it. */
    auth: RequestAuth | null;
  }
}
