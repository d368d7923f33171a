import { definePackageTestConfig } from '@tau/vitest-config';

export default definePackageTestConfig({ test: { testTimeout: 30_000 } });
