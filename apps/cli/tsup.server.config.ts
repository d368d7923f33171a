import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// `tau-po serve` and `tau-po token` (Fastify, pino, prom-client): a bundle of
// their own, dist/tau-po-server.cjs, required by the main bundle only when one
// of them runs (src/server-bundle-loader.ts), so neither the main bundle nor
// its startup snapshot grows. Plain CommonJS like the main bundle; no snapshot.
export default defineConfig({
  // tau-po-client: client mode (`--server`), also loaded only when asked for (src/client-bundle-loader.ts).
  entry: { 'tau-po-server': 'src/server/server-bundle-main.ts', 'tau-po-client': 'src/client/client-bundle-main.ts' },
  format: ['cjs'],
  outExtension: () => ({ js: '.cjs' }),
  platform: 'node',
  target: 'node20',
  // Not cleaned: the main bundle's files live in the same directory.
  clean: false,
  splitting: false,
  minify: true,
  // The client bundle parses argv with yargs, whose ESM shim reads import.meta.url.
  shims: true,
  noExternal: [/.*/],
  define: { __TAU_PO_VERSION__: JSON.stringify(version) },
  esbuildOptions(options) {
    options.conditions = ['@tau/source'];
  },
});
