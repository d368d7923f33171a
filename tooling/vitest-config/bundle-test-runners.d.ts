/** The runner bundles of one test run. */
export interface BundledTestRunners {
  /** The temp directory holding `<name>-runner.mjs` for each `<name>-runner.ts`. */
  readonly outDir: string;
  /** Deletes `outDir`; return it from the globalSetup as its teardown. */
  readonly remove: () => void;
}

/**
 * For a vitest globalSetup: bundles every `*-runner.ts` in `runnersDir` (with
 * workspace packages inlined from their sources) into a fresh temp directory
 * named `<tempPrefix>XXXXXX`, so crash tests can run them in real child processes.
 */
export declare function bundleTestRunners(options: {
  /** The directory of the `*-runner.ts` files, e.g. `new URL('.', import.meta.url)`. */
  runnersDir: string | URL;
  tempPrefix: string;
}): Promise<BundledTestRunners>;

/** The bundle of `<name>-runner.ts` inside `outDir`. */
export declare function bundledRunnerPath(outDir: string, name: string): string;
