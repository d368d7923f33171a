// vitest globalSetup: bundles the child-process runners (`*-runner.ts`) from
// the current sources of this package and its workspace dependencies into a
// temp dir, so crash and lock tests run the real executor in a real `node`
// process (which failpoints can kill) without depending on any dist/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    recoveryRunnerDir: string;
  }
}

const HERE = path.dirname(fileURLToPath(import.meta.url));

export default async function bundleRunners(project: TestProject): Promise<() => void> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-recovery-runners-'));
  const entries = fs.readdirSync(HERE).filter((name) => name.endsWith('-runner.ts'));
  await build({
    config: false,
    entry: Object.fromEntries(entries.map((name) => [name.replace(/\.ts$/, ''), path.join(HERE, name)])),
    outDir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    dts: false,
    silent: true,
    outExtension: () => ({ js: '.mjs' }),
    noExternal: [/.*/],
    esbuildOptions(options) {
      options.conditions = ['@tau/source'];
    },
  });
  project.provide('recoveryRunnerDir', outDir);
  return () => fs.rmSync(outDir, { recursive: true, force: true });
}
