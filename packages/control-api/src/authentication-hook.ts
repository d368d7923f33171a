// Every /api/v1 request needs `Authorization: Bearer <token>`; the principal
// is the token's, never anything the client says. Failures are counted per
// client address (429 past the limit) and logged with their reason; the
// client only learns "401".
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { API_PREFIX } from './api-routes.js';
import { tooManyFailures, unauthenticated } from './api-http-error.js';
import type { RequestAuth, ServerContext } from './server-context.js';
import { verifyPresentedToken, type TokenRefusal } from './token-store.js';

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header);
  return match?.[1];
}

/** Decides who a request is; throws the 401 or 429 to answer. */
function authenticate(request: FastifyRequest, context: ServerContext, now: number): RequestAuth {
  const blockedFor = context.limiter.blockedForSeconds(request.ip, now);
  if (blockedFor > 0) {
    context.metrics.failedAuth.inc({ reason: 'limited' });
    throw tooManyFailures(blockedFor);
  }
  const token = bearerOf(request);
  let refusal: TokenRefusal | 'missing' | 'store_unreadable';
  if (token === undefined) {
    refusal = 'missing';
  } else {
    let verdict;
    try {
      verdict = verifyPresentedToken(context.tokens.current(), token, now);
    } catch (error) {
      request.log.error({ err: error }, 'token store unreadable: every token is refused');
      verdict = undefined;
    }
    if (verdict?.ok === true) return { principal: verdict.record.principal, tokenId: verdict.record.id };
    refusal = verdict === undefined ? 'store_unreadable' : verdict.refusal;
  }
  context.limiter.recordFailure(request.ip, now);
  context.metrics.failedAuth.inc({ reason: refusal });
  request.log.warn({ refusal, client: request.ip }, 'authentication failed');
  throw unauthenticated();
}

/** Installs the authentication hook for every URL under /api/v1 (unknown ones too: no route is revealed to strangers). */
export function installAuthentication(app: FastifyInstance, context: ServerContext): void {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    if (request.url !== API_PREFIX && !request.url.startsWith(`${API_PREFIX}/`)) return;
    request.auth = authenticate(request, context, Date.now());
  });
}
