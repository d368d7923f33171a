import { exportJsonSchemas } from './json-schema-export.js';

/**
 * The committed `json-schema/` directory's exact contents: file name
 * (`<artifact>.schema.json`) to text (two-space indent, final newline).
 */
export function renderJsonSchemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [name, schema] of Object.entries(exportJsonSchemas())) {
    files.set(`${name}.schema.json`, `${JSON.stringify(schema, null, 2)}\n`);
  }
  return files;
}
