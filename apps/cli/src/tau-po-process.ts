// The effects of one tau-po process: read argv and the environment, run,
// print, exit. Everything it decides is decided elsewhere.
import { describeControlError } from '@tau/recovery';
import { USAGE_HINT } from './control-option-table.js';
import { normalizeBooleanFlags } from './boolean-flag-spelling.js';
import { dropLeadingSeparator, parseCommandLine } from './parse-command-line.js';
import { runCliInvocation } from './run-cli-invocation.js';
import { isServerBundleCommand, runServerBundleCommand } from './server-bundle-loader.js';
import { runClientBundleCommand } from './client-bundle-loader.js';
import { isClientModeInvocation } from './client-mode-detection.js';
import { isTerminal, terminalColumns, writeOutput } from './terminal-output.js';

const EXIT_USAGE = 2;

/** What to print and the exit status, for a result or an error. */
async function produce(args: readonly string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  try {
    // The environment as the flags left it (`--no-color` is FORCE_COLOR=0): the same for parsing and running.
    const { env } = normalizeBooleanFlags(dropLeadingSeparator(args), process.env);
    const invocation = await parseCommandLine(args, env, terminalColumns);
    const outcome = await runCliInvocation(invocation, { env, isTerminal });
    return {
      stdout: outcome.stdout === '' ? '' : `${outcome.stdout}\n`,
      stderr: outcome.stderrNotice === undefined ? '' : `${outcome.stderrNotice}\n`,
      exitCode: outcome.exitCode,
    };
  } catch (error) {
    // The same document the control API answers with; its message is one line, always.
    const { exitCode, document } = describeControlError(error);
    const hint = exitCode === EXIT_USAGE ? `${USAGE_HINT}\n` : '';
    return { stdout: '', stderr: `${document.error.message}\n${hint}`, exitCode };
  }
}

/**
 * Runs tau-po for `args` (argv without node and script). Success: the
 * output on stdout with a trailing newline. Failure: stdout untouched, the
 * error's cause chain on one stderr line (plus a usage hint for usage
 * errors), exit status from `exitCodeForError`.
 *
 * Once everything is written it exits at once: a natural exit also tears
 * down the heap (the whole snapshot), which measurably costs milliseconds,
 * and nothing is left to do ('exit' listeners, such as a lock release, still
 * run). Output that had to be queued on a stream is left to drain instead.
 */
export async function runTauPoProcess(args: readonly string[]): Promise<void> {
  if (isServerBundleCommand(args)) return runServerBundleCommand(args);
  if (isClientModeInvocation(args, process.env)) return runClientBundleCommand(args);
  const { stdout, stderr, exitCode } = await produce(args);
  const stdoutWritten = stdout === '' || writeOutput(1, stdout);
  const stderrWritten = stderr === '' || writeOutput(2, stderr);
  process.exitCode = exitCode;
  if (stdoutWritten && stderrWritten) process.exit(exitCode);
}
