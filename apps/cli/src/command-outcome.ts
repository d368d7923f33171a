/** What a command produced: printed by tau-po-process.ts, decided by the command. */
export interface CommandOutcome {
  /** Printed on stdout with a trailing newline; '' prints nothing. */
  readonly stdout: string;
  readonly exitCode: number;
  /** One extra line for stderr (an explanation, never data). */
  readonly stderrNotice?: string;
}
