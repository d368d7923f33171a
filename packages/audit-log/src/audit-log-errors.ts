/**
 * A terminated audit line is not a valid row. Message as Tau words it
 * (`failed to parse training control audit line <n> from '<path>'`); the cause
 * says what is wrong with the line.
 */
export class AuditLineParseError extends Error {
  override name = 'AuditLineParseError';
  constructor(
    /** 1-based, blank lines counted. */
    readonly line: number,
    readonly path: string,
    options: { cause: unknown },
  ) {
    super(`failed to parse training control audit line ${line} from '${path}'`, options);
  }
}

/** The audit log exists but could not be read (the OS error is the cause). */
export class AuditLogReadError extends Error {
  override name = 'AuditLogReadError';
  constructor(
    readonly path: string,
    options: { cause: unknown },
  ) {
    super(`failed to read training control audit log '${path}'`, options);
  }
}

/** Appending an audit row was refused or failed; nothing was committed. */
export class AuditAppendError extends Error {
  override name = 'AuditAppendError';
}

/** Repairing a torn audit tail failed; the cause says at which step. */
export class AuditRepairError extends Error {
  override name = 'AuditRepairError';
}
