import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// One CommonJS file with every dependency inside: Node's startup snapshot
// (scripts/build-launcher.mjs) can only be built from a single CommonJS script,
// and one file also saves resolving workspace packages at run time.
export default defineConfig({
  entry: { 'tau-po': 'src/main.ts' },
  format: ['cjs'],
  outExtension: () => ({ js: '.cjs' }),
  platform: 'node',
  target: 'node20',
  // Not cleaned: tau-po processes started during a rebuild keep a working
  // dist/ (the launcher step replaces its files by rename).
  clean: false,
  splitting: false,
  minify: true,
  // yargs' ESM shim reads import.meta.url; tsup's shim supplies it in CommonJS.
  shims: true,
  noExternal: [/.*/],
  define: { __TAU_PO_VERSION__: JSON.stringify(version) },
  esbuildOptions(options) {
    options.conditions = ['@tau/source'];
  },
});
