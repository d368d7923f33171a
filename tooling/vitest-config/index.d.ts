import type { UserConfig } from 'vitest/config';

export declare const baseTestConfig: UserConfig;
/** The shared settings merged with a package's own overrides. */
export declare function definePackageTestConfig(overrides?: UserConfig): UserConfig;
