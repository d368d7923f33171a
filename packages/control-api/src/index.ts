/**
 * @tau/control-api: the HTTP server behind `tau-po serve` (Fastify routes
 * over @tau/recovery), its bearer-token store, and its OpenAPI document.
 */
export { API_PREFIX, API_ROUTES, type ApiRoute } from './api-routes.js';
export { buildOpenApiDocument, renderOpenApiDocument } from './openapi-document.js';
export { CONTROL_API_VERSION } from './control-api-version.js';
export { buildControlServer, type ControlServerOptions } from './control-server.js';
export { readServerConfigFile, serverConfigSchema, ServerConfigError, type ControlServerRun, type ServerConfig } from './server-config.js';
export {
  controlTokenRecordSchema,
  controlTokenStoreSchema,
  createToken,
  DEFAULT_TOKEN_STORE_PATH,
  parseTokenLifetime,
  readTokenStore,
  revokeToken,
  TokenStoreError,
  UnknownTokenError,
  verifyPresentedToken,
  type ControlTokenRecord,
  type ControlTokenStore,
} from './token-store.js';
export { AuditRowIndex, AUDIT_INDEX_STRIDE, type AuditPageRequest } from './audit-row-index.js';
export { createStderrJsonLogger } from './server-logger.js';
