import { StateDirBusyError } from '@tau/durable-fs';

/** Exit statuses of the control plane (DESIGN.md, "Command-line surface"). */
export const EXIT_CODES = {
  success: 0,
  failure: 1,
  usage: 2,
  denied: 3,
  guardrail: 4,
  busy: 5,
} as const;

/** An exit status of the control plane. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** The request itself is wrong (bad flags, missing rollback path): exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode = EXIT_CODES.usage;
}

/**
 * Authorization of `action` failed; the two subclasses differ only in why,
 * and so in exit status. Same message for both, so that the first phrase
 * tells the operator which step failed.
 */
abstract class ControlAuthorizationError extends Error {
  abstract readonly exitCode: ExitCode;
  constructor(
    readonly action: string,
    options: { cause: unknown },
  ) {
    super(`failed to authorize prompt-optimization lifecycle control action '${action}'`, options);
  }
}

/**
 * The policy denied the principal the action (a missing policy file is a
 * denial): exit 3. Message is Tau's; the cause is @tau/rbac's
 * `UnauthorizedActionError` (and, for a missing policy, its explanation).
 */
export class AuthorizationDeniedError extends ControlAuthorizationError {
  override name = 'AuthorizationDeniedError';
  readonly exitCode = EXIT_CODES.denied;
}

/**
 * The policy file exists but could not be loaded (invalid JSON, failed
 * validation): the command cannot be authorized, exit 1 (it is a broken
 * configuration, not a decision of the policy).
 */
export class AuthorizationUnavailableError extends ControlAuthorizationError {
  override name = 'AuthorizationUnavailableError';
  readonly exitCode = EXIT_CODES.failure;
}

/**
 * Resume detected a crash and neither checkpoint loads: fail closed, write
 * nothing, exit 4. The cause is @tau/checkpoint-store's `CheckpointRestoreError`.
 */
export class RecoveryGuardrailError extends Error {
  override name = 'RecoveryGuardrailError';
  readonly exitCode = EXIT_CODES.guardrail;
  constructor(
    readonly primaryPath: string,
    readonly fallbackPath: string,
    options: { cause: unknown },
  ) {
    super(
      `resume recovery guardrail: crash detected but checkpoint restore failed (primary='${primaryPath}' fallback='${fallbackPath}')`,
      options,
    );
  }
}

/** The checkpoint given to `rollback` does not load or validate: exit 1, nothing written. */
export class RollbackCheckpointLoadError extends Error {
  override name = 'RollbackCheckpointLoadError';
  readonly exitCode = EXIT_CODES.failure;
  constructor(
    readonly checkpointPath: string,
    options: { cause: unknown },
  ) {
    super(`failed to load rollback checkpoint '${checkpointPath}'`, options);
  }
}

/**
 * A file the command must write cannot be written (a dangling symlink, a
 * directory, a FIFO...). Found before the first write, so nothing was
 * changed: exit 1. The cause says what is at the path.
 */
export class StateFileUnwritableError extends Error {
  override name = 'StateFileUnwritableError';
  readonly exitCode = EXIT_CODES.failure;
  constructor(
    readonly path: string,
    options: { cause: unknown },
  ) {
    super(`cannot write state file '${path}' (nothing was changed)`, options);
  }
}

/**
 * The audit log fails verification (an edit, a cut, a missing head file...):
 * every mutating command refuses it until an operator accepts the finding
 * (`tau-po audit accept`). Raised before anything is written: exit 1.
 */
export class AuditLogUnverifiedError extends Error {
  override name = 'AuditLogUnverifiedError';
  readonly exitCode = EXIT_CODES.failure;
  constructor(
    readonly auditLogPath: string,
    /** The first finding, `kind` and where. */
    readonly finding: { kind: string; line: number | null; detail: string },
    /** How many unaccepted findings in all. */
    readonly findingCount: number,
  ) {
    const where = finding.line === null ? '' : ` at line ${finding.line}`;
    const more = findingCount > 1 ? ` (and ${findingCount - 1} more)` : '';
    super(
      `audit log '${auditLogPath}' fails verification: ${finding.kind}${where}: ${finding.detail}${more}; nothing was changed; run \`tau-po audit verify\`, then \`tau-po audit accept --reason "..."\` once understood`,
    );
  }
}

/**
 * The exit status for an error: walks the cause chain from the outside in
 * and returns the first known code (usage 2, denied 3, guardrail 4, busy 5);
 * anything else is 1.
 */
export function exitCodeForError(error: unknown): ExitCode {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    if (current instanceof StateDirBusyError) return EXIT_CODES.busy;
    if (
      current instanceof UsageError ||
      current instanceof AuthorizationDeniedError ||
      current instanceof RecoveryGuardrailError
    ) {
      return current.exitCode;
    }
    current = current.cause;
  }
  return EXIT_CODES.failure;
}
