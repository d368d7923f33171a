import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_ROUTES } from './api-routes.js';
import { buildOpenApiDocument, renderOpenApiDocument } from './openapi-document.js';
import { CONTROL_API_VERSION } from './control-api-version.js';

const committed = new URL('../../../docs/openapi.json', import.meta.url);

describe('docs/openapi.json', () => {
  it('is what the route table generates (run `pnpm --filter @tau/control-api generate` after changing a route or schema)', () => {
    const generated = renderOpenApiDocument(CONTROL_API_VERSION);
    if (process.env.TAU_WRITE_OPENAPI === '1') fs.writeFileSync(committed, generated);
    expect(fs.readFileSync(committed, 'utf8')).toBe(generated);
  });

  it('has one operation per route, each answering errors with the error body', () => {
    const document = buildOpenApiDocument('test') as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods));
    expect(operations).toHaveLength(API_ROUTES.length);
    for (const operation of operations) {
      expect(operation.responses['500']).toEqual({
        description: expect.any(String),
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
      });
    }
  });
});
