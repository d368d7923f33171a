/** Artifacts read through this package, each with the noun Tau uses in its messages. */
export type ArtifactKind = 'control_state' | 'training_status' | 'recovery_report' | 'rbac_policy' | 'audit_head';

const PARSE_NOUN: Record<ArtifactKind, string> = {
  control_state: 'training control state',
  training_status: 'training status file',
  recovery_report: 'training recovery report',
  rbac_policy: 'rbac policy',
  audit_head: 'control audit head file',
};

const VERSION_NOUN: Record<ArtifactKind, string> = {
  control_state: 'training control',
  training_status: 'training status',
  recovery_report: 'training recovery',
  rbac_policy: 'rbac policy',
  audit_head: 'control audit head',
};

/** Refusing to serialize a value that does not match its artifact schema (the file would be unreadable). */
export class ArtifactSerializeError extends Error {
  override name = 'ArtifactSerializeError';
  constructor(
    readonly artifact: string,
    options: { cause: unknown },
  ) {
    super(`refusing to write an invalid ${artifact}`, options);
  }
}

/** An artifact file could not be parsed: `failed to parse training control state '<path>'` and likewise. */
export class ArtifactParseError extends Error {
  override name = 'ArtifactParseError';
  constructor(
    readonly artifact: ArtifactKind,
    readonly path: string,
    options: { cause: unknown },
  ) {
    super(`failed to parse ${PARSE_NOUN[artifact]} '${path}'`, options);
  }
}

/** An artifact file exists (or may) but could not be read: `failed to read training control state '<path>'`. */
export class ArtifactReadError extends Error {
  override name = 'ArtifactReadError';
  constructor(
    readonly artifact: ArtifactKind,
    readonly path: string,
    options: { cause: unknown },
  ) {
    super(`failed to read ${PARSE_NOUN[artifact]} '${path}'`, options);
  }
}

/**
 * A well-formed artifact of another schema version: `unsupported training
 * control schema version 2 (expected 1)`. Readers throw it as the `cause` of
 * an `ArtifactParseError` naming the file (walk the cause chain to detect it).
 */
export class UnsupportedSchemaVersionError extends Error {
  override name = 'UnsupportedSchemaVersionError';
  constructor(
    readonly artifact: ArtifactKind,
    readonly found: number,
    readonly expected: number,
    /** The file the version was read from (not part of the message, which is Tau's verbatim). */
    readonly path?: string,
  ) {
    super(`unsupported ${VERSION_NOUN[artifact]} schema version ${found} (expected ${expected})`);
  }
}

/** One schema problem at one field. */
export interface FieldProblem {
  /** Path from the document root, e.g. `['rl_optimizer', 'samples']`; empty for the document itself. */
  path: (string | number)[];
  /** What was expected and what was found, e.g. `expected a string, got 5`. */
  expectation: string;
}

/** The JSON is well formed but does not match the artifact's schema; the message names each field and what was expected. */
export class ArtifactValidationError extends Error {
  override name = 'ArtifactValidationError';
  constructor(
    message: string,
    readonly problems: FieldProblem[],
  ) {
    super(message);
  }
}
