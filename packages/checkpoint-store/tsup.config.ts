import { defineConfig } from 'tsup';

const sourceConditions = {
  esbuildOptions(options: { conditions?: string[] }) {
    options.conditions = ['@tau/source'];
  },
};

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm'],
    dts: true,
    // The bench bundle below is built in parallel into dist/bench; keep it.
    clean: ['!bench/**'],
    target: 'node20',
    ...sourceConditions,
  },
  {
    // Self-contained (workspace packages bundled from source), so `pnpm bench`
    // runs without building the dependencies first.
    entry: { 'checkpoint-load.bench': 'src/bench/checkpoint-load.bench.ts' },
    outDir: 'dist/bench',
    format: ['esm'],
    dts: false,
    clean: true,
    target: 'node20',
    platform: 'node',
    noExternal: [/.*/],
    ...sourceConditions,
  },
]);
