// Child-process entry for crash tests: runs one control command given as a
// JSON request (argv[2]) and prints the outcome as JSON; on failure prints
// the error chain to stderr and exits with the engine's exit code.
import { formatErrorChain } from '@tau/schemas';
import { exitCodeForError } from '../control-errors.js';
import { runControlCommand } from '../control-command.js';

try {
  const outcome = await runControlCommand(JSON.parse(process.argv[2] ?? '{}'));
  process.stdout.write(JSON.stringify(outcome));
} catch (error) {
  process.stderr.write(`${formatErrorChain(error)}\n`);
  process.exitCode = exitCodeForError(error);
}
