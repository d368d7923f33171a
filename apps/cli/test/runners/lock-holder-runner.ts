// A process that holds a state directory's lock through @tau/durable-fs (the
// very code every tau-po command locks with), prints `locked`, and sleeps
// until killed. Bundled by lock-commands.test.ts; Node 20 cannot run .ts.
import { acquireStateDirLock } from '@tau/durable-fs';

const [stateDir, command = 'pause'] = process.argv.slice(2);
if (stateDir === undefined) throw new Error('usage: lock-holder-runner <state-dir> [command]');
acquireStateDirLock(stateDir, { command });
process.stdout.write('locked\n');
setInterval(() => undefined, 60_000);
