import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm'],
    dts: true,
    // dist/bench belongs to the second build, which runs at the same time.
    clean: ['!bench/**'],
    target: 'node20',
    esbuildOptions(options) {
      options.conditions = ['@tau/source'];
    },
  },
  {
    // The benchmark is one self-contained file (workspace sources and casbin
    // bundled in, as the CLI bundles them), so it runs without other builds.
    entry: { 'rbac-decision.bench': 'src/bench/rbac-decision.bench.ts' },
    outDir: 'dist/bench',
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    clean: true,
    noExternal: [/.*/],
    esbuildOptions(options) {
      options.conditions = ['@tau/source'];
    },
  },
]);
