// Child-process entry for lock tests: takes the lock of the state directory
// argv[2], says `locked` on stdout, and holds it until it is killed.
import { acquireStateDirLock } from '@tau/durable-fs';

acquireStateDirLock(process.argv[2] ?? '.', { command: 'lock-holder' });
process.stdout.write('locked\n');
setInterval(() => undefined, 60_000);
