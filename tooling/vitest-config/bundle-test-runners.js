// Crash tests run code in a real child `node` process, so that a failpoint can
// SIGKILL it mid-write; Node 20 cannot run .ts, so a vitest globalSetup bundles
// the runner scripts first. Bundled from the current sources of the package and
// its workspace dependencies (`@tau/source`), never from a possibly stale dist/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNNER_SUFFIX = '-runner';

export async function bundleTestRunners({ runnersDir, tempPrefix }) {
  const sourceDir = runnersDir instanceof URL ? fileURLToPath(runnersDir) : runnersDir;
  const names = fs
    .readdirSync(sourceDir)
    .filter((file) => file.endsWith(`${RUNNER_SUFFIX}.ts`))
    .map((file) => file.slice(0, -'.ts'.length));
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), tempPrefix));
  const remove = () => fs.rmSync(outDir, { recursive: true, force: true });
  try {
    // Loaded here, not at the top: test files import bundledRunnerPath, and
    // should not load the bundler with it.
    const { build } = await import('tsup');
    await build({
      config: false,
      entry: Object.fromEntries(names.map((name) => [name, path.join(sourceDir, `${name}.ts`)])),
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
  } catch (error) {
    remove();
    throw error;
  }
  return { outDir, remove };
}

export function bundledRunnerPath(outDir, name) {
  return path.join(outDir, `${name}${RUNNER_SUFFIX}.mjs`);
}
