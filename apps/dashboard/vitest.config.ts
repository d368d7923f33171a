import { definePackageTestConfig } from '@tau/vitest-config';

// Browser tests start a real `tau-po serve` and a real Chromium: one file at a time.
export default definePackageTestConfig({
  test: { testTimeout: 120_000, hookTimeout: 180_000, maxWorkers: 1, fileParallelism: false },
});
