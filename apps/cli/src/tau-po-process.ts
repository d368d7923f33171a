// The effects of one tau-po process: read argv and the environment, run,
// print, set the exit status. Everything it decides is decided elsewhere.
import { exitCodeForError } from '@tau/recovery';
import { formatErrorChain } from '@tau/schemas';
import { USAGE_HINT } from './control-option-table.js';
import { parseCommandLine } from './parse-command-line.js';
import { runCliInvocation } from './run-cli-invocation.js';

const EXIT_USAGE = 2;

/**
 * Runs tau-po for `args` (argv without node and script). Success: the
 * output on stdout with a trailing newline. Failure: stdout untouched, the
 * error's cause chain on one stderr line (plus a usage hint for usage
 * errors), exit status from `exitCodeForError`. Sets `process.exitCode`
 * rather than calling `process.exit`, so piped output is never cut short.
 */
export async function runTauPoProcess(args: readonly string[]): Promise<void> {
  try {
    const invocation = await parseCommandLine(args, process.env, process.stdout.columns);
    const outcome = await runCliInvocation(invocation, {
      env: process.env,
      stderrIsTty: process.stderr.isTTY === true,
    });
    if (outcome.stdout !== '') process.stdout.write(`${outcome.stdout}\n`);
    if (outcome.stderrNotice !== undefined) process.stderr.write(`${outcome.stderrNotice}\n`);
    process.exitCode = outcome.exitCode;
  } catch (error) {
    const exitCode = exitCodeForError(error);
    process.stderr.write(`${formatErrorChain(error)}\n`);
    if (exitCode === EXIT_USAGE) process.stderr.write(`${USAGE_HINT}\n`);
    process.exitCode = exitCode;
  }
}
