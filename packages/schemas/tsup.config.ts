import { defineConfig } from 'tsup';

export default defineConfig({
  // The second entry is the `pnpm generate` script (json-schema/), not part of the API.
  entry: ['src/index.ts', 'src/generate-json-schema-files.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  target: 'node20',
  esbuildOptions(options) {
    options.conditions = ['@tau/source'];
  },
});
