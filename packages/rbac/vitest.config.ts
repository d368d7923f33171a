import { definePackageTestConfig } from '@tau/vitest-config';

export default definePackageTestConfig();
