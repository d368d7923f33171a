/** How a child process ended. */
export interface ChildOutcome {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node <scriptPath> <args...>` in a child process and waits for it (at
 * most 20 s). The failpoint variables (`TAU_PO_FAILPOINT`,
 * `TAU_PO_FAILPOINT_TRACE`) are cleared unless `env` sets them.
 */
export declare function runNodeChild(scriptPath: string, args: readonly string[], env?: Record<string, string>): ChildOutcome;
