// Entry point of `pnpm generate`: rewrites json-schema/ from the zod schemas
// (built by tsup first, because Node 20 cannot run TypeScript directly).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderJsonSchemaFiles } from './json-schema-files.js';

const outputDir = fileURLToPath(new URL('../json-schema/', import.meta.url));
const files = renderJsonSchemaFiles();
mkdirSync(outputDir, { recursive: true });
for (const existing of readdirSync(outputDir)) {
  if (existing.endsWith('.schema.json') && !files.has(existing)) rmSync(join(outputDir, existing));
}
for (const [name, text] of files) writeFileSync(join(outputDir, name), text);
console.log(`wrote ${files.size} JSON Schema files to ${outputDir}`);
