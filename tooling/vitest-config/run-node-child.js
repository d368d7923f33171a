// Runs a script in a real child `node` process (crash tests kill it with real
// signals through failpoints) and reports how it ended.
import { spawnSync } from 'node:child_process';

export function runNodeChild(scriptPath, args, env = {}) {
  const result = spawnSync(process.execPath, [scriptPath, ...args], {
    // A failpoint set around the test run must reach a child only when the test asks.
    env: { ...process.env, TAU_PO_FAILPOINT: '', TAU_PO_FAILPOINT_TRACE: '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}
