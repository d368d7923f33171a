// `audit timeline` through the control API: every row, paged (`after`,
// 1000 at a time), rendered by @tau/audit-log's timeline renderer exactly as
// the local command renders the file. The audit log's path (the JSON's
// `audit_path`, and the error for a damaged line) is the one the server's
// status document names.
import { AuditLineParseError, AuditRowError, renderAuditTimeline } from '@tau/audit-log';
import { API_AUDIT_PAGE_MAX_LIMIT, apiAuditPageSchema, controlReportSchema, parseJsonStrict, type ApiAuditPageRow, type AuditReplayRow } from '@tau/schemas';
import type { CommandOutcome } from '../command-outcome.js';
import type { RemoteAnswer } from './control-api-request.js';

/** Sends one GET (relative path) and returns the 2xx answer. */
export type RemoteGet = (path: string) => Promise<RemoteAnswer>;

function runPath(run: string, rest: string): string {
  return `api/v1/runs/${encodeURIComponent(run)}/${rest}`;
}

/**
 * Every audit row the server has, oldest first. A page that does not move
 * forward (a row at or before the last one seen) is a failure, so a
 * misbehaving server cannot loop the client forever.
 */
export async function fetchAllAuditRows(get: RemoteGet, run: string): Promise<ApiAuditPageRow[]> {
  const rows: ApiAuditPageRow[] = [];
  let after = 0;
  for (;;) {
    const answer = await get(runPath(run, `audit?after=${after}&limit=${API_AUDIT_PAGE_MAX_LIMIT}`));
    const page = apiAuditPageSchema.safeParse(answer.document);
    if (!page.success) throw new Error("the control server's answer is not an audit page");
    for (const row of page.data.rows) {
      if (!Number.isSafeInteger(row.row) || row.row <= after) throw new Error("the control server's audit pages do not move forward");
      after = row.row;
      rows.push(row);
    }
    if (page.data.rows.length === 0 || after >= page.data.total_rows) return rows;
  }
}

/** The row as the local reader would have parsed it, or the local reader's error for its line (pure). */
function replayRowOf(pageRow: ApiAuditPageRow, auditPath: string): AuditReplayRow {
  const { row: _row, line, unparsed, ...own } = pageRow;
  void _row;
  let cause: Error;
  if (unparsed !== undefined) {
    // The server could not parse the line either: the strict parser's message for the same text.
    try {
      const value = parseJsonStrict(unparsed);
      cause = new AuditRowError(`row is not a JSON object (found ${Array.isArray(value) ? 'an array' : typeof value})`);
    } catch (error) {
      cause = error as Error;
    }
  } else if (own.action === undefined) {
    cause = new AuditRowError('row has no `action` field');
  } else if (typeof own.action !== 'string') {
    cause = new AuditRowError(`\`action\` must be a string (found ${typeof own.action})`);
  } else {
    return own as AuditReplayRow;
  }
  throw new AuditLineParseError(line, auditPath, { cause });
}

/** The local `audit timeline` output for the server's rows (pure). */
export function renderRemoteAuditTimeline(rows: readonly ApiAuditPageRow[], auditPath: string, options: { json: boolean; color: boolean }): CommandOutcome {
  const parsed = rows.map((row) => ({ line: row.line, row: replayRowOf(row, auditPath) }));
  if (options.json) {
    return { stdout: JSON.stringify({ audit_path: auditPath, rows: parsed.map(({ line, row }) => ({ line, ...row })) }, null, 2), exitCode: 0 };
  }
  return { stdout: renderAuditTimeline(parsed.map(({ row }) => row), { color: options.color }), exitCode: 0 };
}

/** `audit timeline` through the server: the status document for the log's path, then every row. */
export async function runRemoteAuditTimeline(get: RemoteGet, run: string, options: { json: boolean; color: boolean }): Promise<CommandOutcome> {
  const status = controlReportSchema.safeParse((await get(runPath(run, 'status'))).document);
  if (!status.success) throw new Error("the control server's answer is not a control report");
  return renderRemoteAuditTimeline(await fetchAllAuditRows(get, run), status.data.control_audit_path, options);
}
