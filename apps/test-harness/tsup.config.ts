import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { 'tau-po-harness': 'src/main.ts' },
  format: ['esm'],
  clean: true,
  target: 'node20',
  noExternal: [/.*/],
  banner: { js: '#!/usr/bin/env node' },
  esbuildOptions(options) {
    options.conditions = ['@tau/source'];
  },
});
