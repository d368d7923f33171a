import * as z from 'zod/mini';
import { sha256HexSchema } from './sha256-hex.js';
import { u64Schema } from './u64.js';

/**
 * Where the audit log ended when the control state was last written: the
 * number of complete rows and the SHA-256 of the last row's bytes (null for an
 * empty log). Our extension; lets `audit verify` detect truncation.
 */
export const auditHeadSchema = z.looseObject({
  row_count: u64Schema,
  last_row_sha256: z.nullable(sha256HexSchema),
});
/** Where the audit log ended when the control state was last written. */
export type AuditHead = z.infer<typeof auditHeadSchema>;

/** Key order of `audit_head` as we write it. */
export const AUDIT_HEAD_KEYS = ['row_count', 'last_row_sha256'] as const;
