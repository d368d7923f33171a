import { spawn, type ChildProcess } from 'node:child_process';
import { bundledRunnerPath } from '@tau/vitest-config/bundle-test-runners';
import { inject } from 'vitest';

/** Starts a child process holding the state directory's lock; resolves once it holds it. */
export async function startLockHolder(stateDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bundledRunnerPath(inject('runnerDir'), 'state-dir-lock-holder'), stateDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('locked')) resolve();
    });
    child.once('exit', (code, signal) => reject(new Error(`lock holder exited early (${code ?? signal})`)));
  });
  return child;
}
