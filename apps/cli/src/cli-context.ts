import type { Environment } from './control-environment.js';

/** What a command may know about its process. */
export interface CliContext {
  readonly env: Environment;
  /** Whether fd 1 (stdout) or 2 (stderr) is a terminal: explanations for a person go to stderr only then. */
  readonly isTerminal: (fd: 1 | 2) => boolean;
}
