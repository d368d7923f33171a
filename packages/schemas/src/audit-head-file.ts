import * as z from 'zod/mini';
import { SCHEMA_VERSION } from './constants.js';
import { parseArtifactText, readArtifactFileText, validateForWrite } from './artifact-codec.js';
import { sha256HexSchema } from './sha256-hex.js';
import { orderKeys, writeTauJson } from './tau-json-writer.js';
import { u64Schema } from './u64.js';

/**
 * `control-audit.head.json`: where the audit log ended at our last commit.
 * Our own file beside the log (Tau's binary never writes or deletes it), so
 * an edit, cut or reordering of the rows up to it stays visible even when
 * Tau rewrites `control-state.json` without our `audit_head`. Replaced
 * atomically, after the control state. Strict JSON (no repeated keys);
 * unknown keys are kept, like every artifact, so a newer version can add some.
 */
export const auditHeadFileSchema = z.looseObject({
  schema_version: z.literal(SCHEMA_VERSION),
  /** Complete (non-blank) rows up to and including the last row we chained. */
  row_count: u64Schema,
  /** Byte offset where that row starts. */
  last_row_offset: u64Schema,
  /** Byte offset just past that row's line ending: where the next row starts. */
  end_offset: u64Schema,
  /** SHA-256 of that row's bytes without its line ending; null for a log with no rows. */
  last_row_sha256: z.nullable(sha256HexSchema),
  /**
   * The log file's identity right after that row's append
   * (`<dev>:<ino>:<size>:<ctime ns>`). A command that finds the log with the
   * same identity knows nothing has written to it since (ctime cannot be set
   * back without changing the clock), so it checks the log in O(1) instead of
   * replaying it. Absent or different: the full replay decides.
   */
  log_change: z.optional(z.string()),
  /**
   * Findings an operator accepted (`audit accept`; each is also recorded in
   * its accept row, which `audit verify` reads), carried forward by every
   * commit so commands need not re-read the log to know them.
   */
  accepted_findings: z.optional(z.array(z.looseObject({ kind: z.string(), line: z.nullable(u64Schema) }))),
});
/** The audit head file (`control-audit.head.json`). */
export type AuditHeadFile = z.infer<typeof auditHeadFileSchema>;

/** Key order as we write it. */
export const AUDIT_HEAD_FILE_KEYS = [
  'schema_version',
  'row_count',
  'last_row_offset',
  'end_offset',
  'last_row_sha256',
  'log_change',
  'accepted_findings',
] as const;

/** Parses the head file's text; throws `ArtifactParseError` naming `path`. */
export function parseAuditHeadFile(text: string, path: string): AuditHeadFile {
  return parseArtifactText('audit_head', auditHeadFileSchema, SCHEMA_VERSION, text, path);
}

/** Reads and parses the head file; `undefined` when it does not exist. */
export function readAuditHeadFile(path: string): AuditHeadFile | undefined {
  const text = readArtifactFileText('audit_head', path);
  return text === undefined ? undefined : parseAuditHeadFile(text, path);
}

/** Pretty JSON, our key order, no trailing newline (like the control state). */
export function serializeAuditHeadFile(head: AuditHeadFile): string {
  return writeTauJson(orderKeys(validateForWrite('control audit head', auditHeadFileSchema, head), AUDIT_HEAD_FILE_KEYS), 'pretty');
}
