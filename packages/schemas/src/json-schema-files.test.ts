import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { exportJsonSchemas } from './json-schema-export.js';
import { renderJsonSchemaFiles } from './json-schema-files.js';

const jsonSchemaDir = new URL('../json-schema/', import.meta.url);

describe('committed JSON Schema files', () => {
  const expected = renderJsonSchemaFiles();

  it('are exactly what the zod schemas generate (run `pnpm --filter @tau/schemas generate` if this fails)', () => {
    const committed = readdirSync(jsonSchemaDir).filter((name) => name.endsWith('.schema.json')).sort();
    expect(committed).toEqual([...expected.keys()].sort());
    for (const [name, text] of expected) {
      expect(readFileSync(new URL(name, jsonSchemaDir), 'utf8'), `json-schema/${name} is stale`).toBe(text);
    }
  });

  it('each carry a distinct $id naming their artifact', () => {
    for (const [name, text] of expected) {
      const schema = JSON.parse(text) as { $id?: unknown };
      expect(schema.$id).toBe(`urn:tau-po:schema:${name.replace(/\.schema\.json$/, '')}`);
    }
  });

  it('are importable through the package exports as @tau/schemas/json-schema/<artifact>.schema.json', () => {
    const require = createRequire(import.meta.url);
    const resolved = require.resolve('@tau/schemas/json-schema/control-state.schema.json');
    expect(resolved).toBe(new URL('control-state.schema.json', jsonSchemaDir).pathname);
  });
});

describe('exportJsonSchemas', () => {
  const schemas = exportJsonSchemas() as Record<string, Record<string, unknown>>;

  it('covers every artifact with draft 2020-12 and a title', () => {
    expect(Object.keys(schemas).sort()).toEqual([
      'control-audit-head',
      'control-audit-row',
      'control-report',
      'control-state',
      'policy-checkpoint',
      'rbac-policy',
      'recovery-report',
      'training-status',
    ]);
    for (const schema of Object.values(schemas)) {
      expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(typeof schema['title']).toBe('string');
      expect(schema['$id']).toMatch(/^urn:tau-po:schema:[a-z-]+$/);
      expect(schema['additionalProperties']).toEqual({});
    }
  });

  it('describes files as readers accept them: u64 bounded by 2^53-1, Option fields and defaults not required', () => {
    const controlState = schemas['control-state'] as { properties: Record<string, Record<string, unknown>>; required: string[] };
    expect(controlState.properties['updated_unix_ms']).toMatchObject({ type: 'integer', minimum: 0, maximum: 9007199254740991 });
    expect(controlState.required).toEqual(['schema_version', 'updated_unix_ms', 'lifecycle_state', 'last_action', 'principal']);
    expect((schemas['rbac-policy'] as { required?: string[] }).required ?? []).toEqual([]);
  });
});
