// vitest globalSetup: bundles the crash-drill child process, audit-log-runner.ts
// (see bundleTestRunners), and hands its path to the tests through `inject('auditRunnerPath')`.
import { bundledRunnerPath, bundleTestRunners } from '@tau/vitest-config/bundle-test-runners';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    auditRunnerPath: string;
  }
}

export default async function bundleAuditRunner(project: TestProject): Promise<() => void> {
  const runners = await bundleTestRunners({ runnersDir: new URL('.', import.meta.url), tempPrefix: 'tau-audit-log-runner-' });
  project.provide('auditRunnerPath', bundledRunnerPath(runners.outDir, 'audit-log'));
  return runners.remove;
}
