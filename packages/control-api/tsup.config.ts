import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'node20',
  esbuildOptions(options) {
    options.conditions = ['@tau/source'];
  },
});
