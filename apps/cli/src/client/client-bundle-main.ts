// Entry of dist/tau-po-client.cjs: a command sent to a `tau-po serve`
// (client mode, `--server` or TAU_PO_SERVER), loaded by the main bundle only
// then, so local commands start exactly as before. Argv is parsed by the
// CLI's own parsers; output and exit codes are local mode's, byte for byte:
// success renders the server's document with the local renderers; a refusal
// prints the server's error line (the local CLI's stderr line) and exits
// with its exit code.
import { shouldUseColor } from '@tau/audit-log';
import { describeControlError, EXIT_CODES } from '@tau/recovery';
import { CLI_VERSION } from '../cli-version.js';
import { USAGE_HINT } from '../control-option-table.js';
import { dropLeadingSeparator, parseCommandLine } from '../parse-command-line.js';
import { isTerminal, terminalColumns, writeOutput } from '../terminal-output.js';
import { splitClientModeArgv } from './client-mode-argv.js';
import { RemoteCommandError, sendRemoteCall } from './control-api-request.js';
import { renderRemoteAnswer } from './remote-answer-output.js';
import { runRemoteAuditTimeline } from './remote-audit-timeline.js';
import { planRemoteCall } from './remote-call-plan.js';
import { parseServerUrl } from './server-url.js';
import { readToken } from './token-file-read.js';

interface ProcessOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** An error's stderr line(s) and exit code, as tau-po-process.ts prints them. */
function failureOutput(message: string, exitCode: number): ProcessOutput {
  const hint = exitCode === EXIT_CODES.usage ? `${USAGE_HINT}\n` : '';
  return { stdout: '', stderr: `${message}\n${hint}`, exitCode };
}

async function produceRemote(rawArgs: readonly string[]): Promise<ProcessOutput> {
  try {
    const { options, rest } = splitClientModeArgv(dropLeadingSeparator(rawArgs), process.env);
    const invocation = await parseCommandLine(rest, process.env, terminalColumns);
    if (invocation.kind === 'help') return { stdout: `${invocation.text}\n`, stderr: '', exitCode: 0 };
    const timeline = invocation.kind === 'audit' && invocation.subcommand === 'timeline';
    const call = timeline ? undefined : planRemoteCall(invocation, options.run);
    const base = parseServerUrl(options.server, options.insecureHttp);
    const token = readToken(options.token);
    const userAgent = `tau-po/${CLI_VERSION}`;
    const outcome =
      call === undefined
        ? await runRemoteAuditTimeline((path) => sendRemoteCall(base, token, { method: 'GET', path }, userAgent), options.run, {
            json: invocation.kind === 'audit' && invocation.json,
            color: shouldUseColor({ isTTY: isTerminal(1), env: process.env }),
          })
        : renderRemoteAnswer(call, await sendRemoteCall(base, token, call, userAgent), isTerminal(2));
    return {
      stdout: outcome.stdout === '' ? '' : `${outcome.stdout}\n`,
      stderr: outcome.stderrNotice === undefined ? '' : `${outcome.stderrNotice}\n`,
      exitCode: outcome.exitCode,
    };
  } catch (error) {
    if (error instanceof RemoteCommandError) return failureOutput(error.message, error.exitCode);
    const { exitCode, document } = describeControlError(error);
    return failureOutput(document.error.message, exitCode);
  }
}

/** Runs one client-mode command (argv without node and script) and sets the exit status. */
export async function runClientBundleProcess(args: readonly string[]): Promise<void> {
  const { stdout, stderr, exitCode } = await produceRemote(args);
  const stdoutWritten = stdout === '' || writeOutput(1, stdout);
  const stderrWritten = stderr === '' || writeOutput(2, stderr);
  process.exitCode = exitCode;
  // Exit now rather than when fetch's idle keep-alive connection closes; output queued on a stream drains first.
  if (stdoutWritten && stderrWritten) process.exit(exitCode);
}
