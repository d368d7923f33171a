import * as z from 'zod/mini';

/**
 * One audit row as the API pages it: `row` (1-based among non-blank rows),
 * `line` (1-based line number in the file, blank lines counted), then the
 * row's own keys as written (Tau's rows, ours, or older ones). A line that is
 * not a JSON object (a damaged log) comes as `unparsed`: its text, cut at
 * 4096 characters; `audit verify` says what is wrong with it.
 */
export const apiAuditPageRowSchema = z.looseObject({
  row: z.number(),
  line: z.number(),
  unparsed: z.optional(z.string()),
});
/** One paged audit row. */
export type ApiAuditPageRow = z.infer<typeof apiAuditPageRowSchema>;

/** `GET /api/v1/runs/:run/audit`: rows after N ascending, before N descending, or the newest first. */
export const apiAuditPageSchema = z.object({
  total_rows: z.number(),
  rows: z.array(apiAuditPageRowSchema),
});
/** An audit page. */
export type ApiAuditPage = z.infer<typeof apiAuditPageSchema>;

/** Most rows one page returns. */
export const API_AUDIT_PAGE_MAX_LIMIT = 1000;
/** Rows per page when `limit` is not given. */
export const API_AUDIT_PAGE_DEFAULT_LIMIT = 100;

const rowNumberText = z.string().check(z.regex(/^(0|[1-9][0-9]{0,15})$/));

/** The audit page's query (numbers as decimal text; `after` and `before` are exclusive of each other). */
export const apiAuditPageQuerySchema = z.strictObject({
  after: z.optional(rowNumberText),
  before: z.optional(rowNumberText),
  limit: z.optional(rowNumberText),
});
