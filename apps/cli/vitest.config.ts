import { definePackageTestConfig } from '@tau/vitest-config';

// The integration tests (test/) run the built bin; build it first if stale.
export default definePackageTestConfig({ test: { globalSetup: ['test/build-before-tests.ts'] } });
