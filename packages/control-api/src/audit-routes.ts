import type { FastifyInstance } from 'fastify';
import { UsageError } from '@tau/recovery';
import { API_AUDIT_PAGE_DEFAULT_LIMIT, API_AUDIT_PAGE_MAX_LIMIT, type ApiAuditPage } from '@tau/schemas';
import { registerApiRoute } from './api-route-registration.js';
import type { AuditPageRequest } from './audit-row-index.js';
import { runOf } from './served-run-lookup.js';
import type { ServerContext } from './server-context.js';

/** The page a query asks for (pure). @throws UsageError for both after and before, or a limit out of 1..1000. */
export function auditPageRequestOf(query: { after?: string; before?: string; limit?: string }): AuditPageRequest {
  const limit = query.limit === undefined ? API_AUDIT_PAGE_DEFAULT_LIMIT : Number(query.limit);
  if (limit < 1 || limit > API_AUDIT_PAGE_MAX_LIMIT) {
    throw new UsageError(`invalid request query.limit: must be 1..${API_AUDIT_PAGE_MAX_LIMIT}, got ${query.limit}`);
  }
  if (query.after !== undefined && query.before !== undefined) {
    throw new UsageError('invalid request query: give after or before, not both');
  }
  if (query.after !== undefined) return { after: Number(query.after), limit };
  // No before: the newest rows first.
  return { before: query.before === undefined ? Number.MAX_SAFE_INTEGER : Number(query.before), limit };
}

/** Registers the audit page route. */
export function registerAuditRoutes(app: FastifyInstance, context: ServerContext): void {
  registerApiRoute(app, 'auditPage', async (request): Promise<ApiAuditPage> => {
    const { run } = runOf(request, context);
    const page = run.auditIndex.page(auditPageRequestOf(request.query as { after?: string; before?: string; limit?: string }));
    context.metrics.auditRows.set({ run: run.name }, page.total_rows);
    return page;
  });
}
