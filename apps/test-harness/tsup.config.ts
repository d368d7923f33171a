import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { 'tau-po-harness': 'src/main.ts' },
  format: ['esm'],
  clean: true,
  target: 'node20',
  // Everything bundled but autocannon (the server bench's load generator, loaded at run time from node_modules).
  noExternal: [/^(?!autocannon$)/],
  external: ['autocannon'],
  banner: { js: '#!/usr/bin/env node' },
  esbuildOptions(options) {
    options.conditions = ['@tau/source'];
  },
});
