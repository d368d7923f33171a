// OpenAPI 3.1 from the route table (api-routes.ts): each zod schema becomes a
// JSON Schema (draft 2020-12, which OpenAPI 3.1 uses as is) under
// components/schemas, referenced by the operations.
import * as z from 'zod/mini';
import { API_ERROR_SCHEMA, API_ROUTES, type ApiRoute } from './api-routes.js';

const STATUS_TEXT: Record<number, string> = {
  400: 'Usage error (exit code 2)',
  401: 'No token, or a token that is unknown, revoked or expired',
  403: 'Denied by the RBAC policy (exit code 3; reason_code set)',
  404: 'Unknown run or route',
  408: 'The request body did not arrive in time',
  409: 'The state directory is busy (exit code 5)',
  413: 'Body too large',
  422: 'Recovery guardrail (exit code 4)',
  429: 'Too many failed authentications from this client',
  500: 'Any other failure (exit code 1)',
  503: 'Not ready',
};

function jsonSchemaOf(schema: z.ZodMiniType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...body } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return body;
}

function componentName(route: ApiRoute, part: string): string {
  return `${route.id[0]!.toUpperCase()}${route.id.slice(1)}${part}`;
}

function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z_]+)/g, '{$1}');
}

function parametersOf(route: ApiRoute, location: 'path' | 'query'): object[] {
  const schema = location === 'path' ? route.params : route.query;
  if (schema === undefined) return [];
  const json = jsonSchemaOf(schema, 'input') as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

/** The OpenAPI 3.1 document of the control API. */
export function buildOpenApiDocument(version: string): Record<string, unknown> {
  const schemas: Record<string, unknown> = { ErrorBody: jsonSchemaOf(API_ERROR_SCHEMA, 'output') };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of API_ROUTES) {
    const responses: Record<string, unknown> = {};
    if ('mediaType' in route.response) {
      responses['200'] = {
        description: route.response.description,
        content: { [route.response.mediaType]: { schema: { type: 'string' } } },
      };
    } else {
      const name = componentName(route, 'Response');
      schemas[name] = jsonSchemaOf(route.response, 'output');
      responses['200'] = { description: 'OK', content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } };
    }
    for (const status of [...new Set([...route.errors, 500])].sort((a, b) => a - b)) {
      responses[String(status)] = {
        description: STATUS_TEXT[status] ?? 'Error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
      };
    }
    const operation: Record<string, unknown> = {
      operationId: route.id,
      summary: route.summary,
      parameters: [...parametersOf(route, 'path'), ...parametersOf(route, 'query')],
      responses,
      security: route.auth ? [{ bearerToken: [] }] : [],
    };
    if (route.body !== undefined) {
      const name = componentName(route, 'Body');
      schemas[name] = jsonSchemaOf(route.body, 'input');
      operation.requestBody = { required: false, content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } };
    }
    const path = openApiPath(route.url);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'tau-po control API',
      version,
      description:
        'The control plane of a Tau prompt-optimization run over HTTP (`tau-po serve`). Every /api/v1 route needs `Authorization: Bearer <token>`; the principal is the token\'s.',
    },
    servers: [{ url: 'http://127.0.0.1:7433' }],
    paths,
    components: {
      schemas,
      securitySchemes: { bearerToken: { type: 'http', scheme: 'bearer', description: 'A token from `tau-po token create`.' } },
    },
  };
}

/** The committed file's text: pretty JSON and a final newline. */
export function renderOpenApiDocument(version: string): string {
  return `${JSON.stringify(buildOpenApiDocument(version), null, 2)}\n`;
}
