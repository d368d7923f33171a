// Registers the contract's routes (api-routes.ts) on Fastify with the zod
// schemas as validators: the same objects the OpenAPI document is made from.
// A small compiler of our own rather than fastify-type-provider-zod: the
// schemas here are `zod/mini` ones (as everywhere in @tau/schemas), and
// validation needs only `safeParse`; an invalid input is a `UsageError`, so
// it gets exit code 2 / HTTP 400 from the one mapping in @tau/recovery.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as z from 'zod/mini';
import { UsageError } from '@tau/recovery';
import { API_ROUTES } from './api-routes.js';

const PART_NAMES: Record<string, string> = { params: 'path', querystring: 'query', body: 'body' };

/** One line for a zod issue (`zod/mini` carries no message catalogue: its default text is "Invalid input"). */
export function describeZodIssue(issue: z.core.$ZodIssue | undefined): string {
  if (issue === undefined) return 'invalid';
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((key) => `'${key}'`).join(', ')}`;
    case 'invalid_format':
      return 'invalid format';
    case 'invalid_value':
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    default:
      return issue.message;
  }
}

/** Installs the zod validator compiler and plain JSON serialization on `app`. */
export function installZodCompilers(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const zodSchema = schema as unknown as z.ZodMiniType;
    return (data: unknown) => {
      const parsed = zodSchema.safeParse(data);
      if (parsed.success) return { value: parsed.data };
      const issue = parsed.error.issues[0];
      const where = [PART_NAMES[httpPart ?? ''] ?? httpPart ?? 'request', ...(issue?.path ?? []).map(String)].join('.');
      return { error: new UsageError(`invalid request ${where}: ${describeZodIssue(issue)}`) };
    };
  });
  // Response bodies are built from typed values and checked against their schemas in the tests.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
}

/** A route handler: returns the body (an object, or a string already serialized as JSON). */
export type ApiHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** Registers the contract's route `id` with `handler`. */
export function registerApiRoute(app: FastifyInstance, id: string, handler: ApiHandler): void {
  const route = API_ROUTES.find((candidate) => candidate.id === id);
  if (route === undefined) throw new Error(`no API route '${id}'`);
  const schema: Record<string, unknown> = {};
  if (route.params !== undefined) schema.params = route.params;
  if (route.query !== undefined) schema.querystring = route.query;
  // An absent body is an empty one.
  if (route.body !== undefined) schema.body = z.optional(z.nullable(route.body));
  // No automatic HEAD twin: a HEAD of the event stream would open a stream; the API is GET and POST only.
  app.route({ method: route.method, url: route.url, schema, handler, exposeHeadRoute: false });
}
