// vitest globalSetup: bundles the child-process runners from the current
// sources (so crash tests never exercise a stale dist/) into a temp dir and
// hands their paths to the tests through `inject('runnerDir')`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    runnerDir: string;
  }
}

const HERE = path.dirname(fileURLToPath(import.meta.url));

export default async function bundleRunners(project: TestProject): Promise<() => void> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-checkpoint-store-runners-'));
  const entries = fs.readdirSync(HERE).filter((name) => name.endsWith('-runner.ts'));
  await build({
    config: false,
    entry: Object.fromEntries(entries.map((name) => [name.replace(/\.ts$/, ''), path.join(HERE, name)])),
    outDir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    dts: false,
    outExtension: () => ({ js: '.mjs' }),
    silent: true,
    noExternal: [/.*/],
    esbuildOptions(options) {
      options.conditions = ['@tau/source'];
    },
  });
  project.provide('runnerDir', outDir);
  return () => fs.rmSync(outDir, { recursive: true, force: true });
}
