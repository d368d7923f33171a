// One place that turns any error of a command into what the operator gets:
// the exit code (CLI), the HTTP status (control API) and the error document
// (the API's body; its `message` is the CLI's stderr line, byte for byte).
import { UnauthorizedActionError, type RbacReasonCode } from '@tau/rbac';
import { escapeTerminalText, formatErrorChain } from '@tau/schemas';
import { EXIT_CODES, exitCodeForError, type ExitCode } from './control-errors.js';

/** The HTTP status of each exit code (DESIGN.md, "Control API"). */
export const HTTP_STATUS_FOR_EXIT_CODE: Readonly<Record<ExitCode, number>> = {
  [EXIT_CODES.success]: 200,
  [EXIT_CODES.failure]: 500,
  [EXIT_CODES.usage]: 400,
  [EXIT_CODES.denied]: 403,
  [EXIT_CODES.guardrail]: 422,
  [EXIT_CODES.busy]: 409,
};

/** The error document: `{error: {message, chain, exit_code, reason_code?}}`. */
export interface ControlErrorDocument {
  error: {
    /** The whole cause chain joined by `: ` on one line: what the CLI prints on stderr. */
    message: string;
    /** Each message of the cause chain, outermost first. */
    chain: string[];
    exit_code: ExitCode;
    /** For a denial: the RBAC reason code. */
    reason_code?: RbacReasonCode;
  };
}

/** An error as the CLI and the API report it. */
export interface DescribedControlError {
  exitCode: ExitCode;
  httpStatus: number;
  document: ControlErrorDocument;
}

function causeChainOf(error: unknown): unknown[] {
  const chain: unknown[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

// Each chain entry is one line too (the document's JSON escapes the rest).
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** Builds the error document from an error's cause chain (pure). */
export function describeControlError(error: unknown): DescribedControlError {
  const causes = causeChainOf(error);
  const chain = causes
    .map((cause) => (cause instanceof Error ? cause.message : String(cause)))
    .filter((message) => message !== '')
    .map(oneLine);
  const exitCode = exitCodeForError(error);
  const denial = causes.find((cause): cause is UnauthorizedActionError => cause instanceof UnauthorizedActionError);
  const document: ControlErrorDocument = {
    error: {
      // Escaped (`\n`, `\u{1b}`): a path or principal quoted in a message can neither forge a
      // second line nor drive the terminal, and distinct messages stay distinct.
      message: escapeTerminalText(formatErrorChain(error)),
      chain,
      exit_code: exitCode,
      ...(exitCode === EXIT_CODES.denied && denial !== undefined ? { reason_code: denial.reasonCode } : {}),
    },
  };
  return { exitCode, httpStatus: HTTP_STATUS_FOR_EXIT_CODE[exitCode], document };
}
