import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    // Started by replay as a worker thread (beside the chunk that starts it).
    'audit-range-worker': 'src/audit-range-worker.ts',
    'bench/audit-replay.bench': 'src/bench/audit-replay.bench.ts',
  },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  target: 'node20',
  esbuildOptions(options) {
    options.conditions = ['@tau/source'];
  },
});
