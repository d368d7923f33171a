// Entry of dist/tau-po-server.cjs, the bundle of `tau-po serve` and
// `tau-po token` (loaded by the main bundle only for those commands). Output
// and exit codes follow the CLI's rules: errors as one stderr line from the
// shared error document, usage errors with a hint.
import { describeControlError, EXIT_CODES } from '@tau/recovery';
import { runServe } from './serve-command.js';
import { runToken, TOKEN_HELP } from './token-command.js';

function fail(error: unknown): void {
  const { exitCode, document } = describeControlError(error);
  const hint = exitCode === EXIT_CODES.usage ? "usage: tau-po serve [options]; tau-po token <create|list|revoke> ...; see 'tau-po serve --help', 'tau-po token --help'\n" : '';
  process.stderr.write(`${document.error.message}\n${hint}`);
  process.exitCode = exitCode;
}

/** Runs `serve ...` or `token ...` (args start with the command). */
export async function runServerBundleProcess(args: readonly string[], distDir: string): Promise<void> {
  try {
    if (args[0] === 'serve') {
      await runServe(args.slice(1), distDir);
      return;
    }
    const output = runToken(args.slice(1));
    if (output === 'help') {
      process.stdout.write(`${TOKEN_HELP}\n`);
      return;
    }
    if (output.stdout !== '') process.stdout.write(`${output.stdout}\n`);
    if (output.stderr !== undefined) process.stderr.write(`${output.stderr}\n`);
  } catch (error) {
    fail(error);
  }
}
