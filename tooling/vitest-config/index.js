// Shared test settings. Packages call `definePackageTestConfig()` so that every
// package writes the same JSON report, which .ci/run sums into one closing line.
import { defineConfig, mergeConfig } from 'vitest/config';

export const baseTestConfig = defineConfig({
  resolve: { conditions: ['@tau/source'] },
  ssr: { resolve: { conditions: ['@tau/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});

export function definePackageTestConfig(overrides = {}) {
  return mergeConfig(baseTestConfig, defineConfig(overrides));
}
