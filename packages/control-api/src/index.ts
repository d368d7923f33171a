/**
 * @tau/control-api: the HTTP server behind `tau-po serve` (Fastify routes
 * over @tau/recovery), its bearer-token store, and its OpenAPI document.
 */
export { API_PREFIX, API_ROUTES, type ApiRoute } from './api-routes.js';
export { buildOpenApiDocument, renderOpenApiDocument } from './openapi-document.js';
export { CONTROL_API_VERSION } from './control-api-version.js';
