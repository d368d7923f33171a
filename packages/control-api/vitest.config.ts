import { definePackageTestConfig } from '@tau/vitest-config';

export default definePackageTestConfig({
  test: { globalSetup: ['src/test-support/bundle-runners.ts'], testTimeout: 30_000 },
});
