// Child-process entry: takes the lock of the state directory argv[2] as a
// local command would, says `locked` on stdout, and holds it until killed.
import { acquireStateDirLock } from '@tau/durable-fs';

acquireStateDirLock(process.argv[2] ?? '.', { command: 'pause' });
process.stdout.write('locked\n');
setInterval(() => undefined, 60_000);
