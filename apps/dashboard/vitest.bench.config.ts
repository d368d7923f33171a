import { definePackageTestConfig } from '@tau/vitest-config';

// `pnpm bench`: the budgets of bench/first-render.bench.ts, run once as a plain
// vitest run (a real server and browser, not a micro-benchmark), reported on stdout only.
const config = definePackageTestConfig({
  test: { reporters: ['default'], testTimeout: 300_000, hookTimeout: 300_000, maxWorkers: 1, fileParallelism: false },
});
// mergeConfig concatenates arrays: replace the test files and drop the JSON report instead.
export default { ...config, test: { ...config.test, include: ['bench/**/*.bench.ts'], reporters: ['default'], outputFile: undefined } };
