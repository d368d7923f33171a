// `tau-po schemas export <dir>`: the JSON Schema of every artifact, one file
// each, so that other tools can validate a state directory.
import { ensureDirectory, replaceFileAtomically } from '@tau/durable-fs';
import { escapeTerminalText, exportJsonSchemas } from '@tau/schemas';
import path from 'node:path';
import type { SchemasExportInvocation } from './cli-invocation.js';
import type { CommandOutcome } from './command-outcome.js';

/** The `schemas export --json` document. */
export interface SchemasExportReport {
  dir: string;
  files: string[];
}

/** Writes `<dir>/<artifact>.schema.json` for every artifact (atomically, pretty, trailing newline). */
export function runSchemasExport(invocation: SchemasExportInvocation): CommandOutcome {
  ensureDirectory(invocation.dir);
  const files: string[] = [];
  for (const [name, schema] of Object.entries(exportJsonSchemas())) {
    const file = path.join(invocation.dir, `${name}.schema.json`);
    replaceFileAtomically(file, `${JSON.stringify(schema, null, 2)}\n`);
    files.push(file);
  }
  const report: SchemasExportReport = { dir: invocation.dir, files };
  return {
    stdout: invocation.json
      ? JSON.stringify(report, null, 2)
      : `exported ${files.length} JSON Schemas to ${escapeTerminalText(invocation.dir)}: ${files.map((file) => path.basename(file)).join(', ')}`,
    exitCode: 0,
  };
}
