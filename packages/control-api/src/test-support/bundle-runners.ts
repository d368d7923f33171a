// vitest globalSetup: bundles this directory's child-process runners (see
// bundleTestRunners) and hands their directory to the tests through `inject('runnerDir')`.
import { bundleTestRunners } from '@tau/vitest-config/bundle-test-runners';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    runnerDir: string;
  }
}

export default async function bundleRunners(project: TestProject): Promise<() => void> {
  const runners = await bundleTestRunners({ runnersDir: new URL('.', import.meta.url), tempPrefix: 'tau-control-api-runners-' });
  project.provide('runnerDir', runners.outDir);
  return runners.remove;
}
