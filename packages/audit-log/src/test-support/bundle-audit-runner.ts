// vitest globalSetup: bundles the crash-drill child process from the current
// sources (never a stale dist/) into a temp dir, and hands its path to the
// tests through `inject('auditRunnerPath')`. Node 20 cannot run .ts directly.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    auditRunnerPath: string;
  }
}

const HERE = path.dirname(fileURLToPath(import.meta.url));

export default async function bundleAuditRunner(project: TestProject): Promise<() => void> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-audit-log-runner-'));
  await build({
    config: false,
    entry: { 'audit-log-runner': path.join(HERE, 'audit-log-runner.ts') },
    outDir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    dts: false,
    silent: true,
    noExternal: [/.*/],
    esbuildOptions(options) {
      options.conditions = ['@tau/source'];
    },
  });
  project.provide('auditRunnerPath', path.join(outDir, 'audit-log-runner.js'));
  return () => fs.rmSync(outDir, { recursive: true, force: true });
}
