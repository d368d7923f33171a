import type { ApiAuditPage, ApiAuditPageRow, AuditRow, AuditVerificationDocument } from '@tau/schemas';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { runPath, type ControlApiClient } from './control-api-client.js';
import { formatUnixMs, formatValue } from './display-format.js';
import { ErrorNotice } from './error-notice.js';
import type { Loaded } from './loaded-value.js';

/** Receives each audit row the event stream brings. */
export type AuditRowListener = (row: ApiAuditPageRow) => void;

export interface AuditTableProps {
  client: ControlApiClient;
  run: string;
  verification: Loaded<AuditVerificationDocument>;
  subscribe(listener: AuditRowListener): () => void;
  /** Called once, with the newest row number of the first page (0 for an empty log). */
  onFirstPage(newestRow: number): void;
  onError(error: unknown): void;
}

/** Rows per page. */
export const AUDIT_PAGE_ROWS = 50;

// A page row's own keys are the audit row's (Tau's, ours, or older: all optional here).
type ShownRow = ApiAuditPageRow & Partial<AuditRow> & { auth?: unknown; client_address?: unknown };

/** Which page is shown: the newest rows (kept current by the stream), or the rows before a row number. */
type PagePosition = { newest: true } | { newest: false; before: number };

function verificationHeading(verification: Loaded<AuditVerificationDocument>): string {
  if (verification.state === 'loading') return 'chain: verifying…';
  if (verification.state === 'failed') return 'chain: could not be verified';
  const { ok, problems, problems_not_listed, rows } = verification.value;
  if (ok) return `chain: ✓ verified (${rows.toLocaleString('en-US')} rows)`;
  return `chain: ✗ broken (${(problems.length + problems_not_listed).toLocaleString('en-US')} problems)`;
}

function howAuthenticated(row: ShownRow): string {
  if (typeof row.auth === 'string') return row.auth;
  if (typeof row.os_user === 'string') return `local (${row.os_user}${typeof row.host === 'string' ? `@${row.host}` : ''})`;
  return 'local';
}

/** The audit log, newest first, one page at a time (never the whole log), with the chain's verdict in its heading. */
export function AuditTable({ client, run, verification, subscribe, onFirstPage, onError }: AuditTableProps) {
  const [position, setPosition] = useState<PagePosition>({ newest: true });
  const [page, setPage] = useState<ApiAuditPage | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [jumpTo, setJumpTo] = useState('');
  const firstPageSeen = useRef(false);
  const positionRef = useRef(position);
  positionRef.current = position;

  useEffect(() => {
    let live = true;
    const query = position.newest ? `?limit=${AUDIT_PAGE_ROWS}` : `?before=${position.before}&limit=${AUDIT_PAGE_ROWS}`;
    client.get<ApiAuditPage>(runPath(run, `/audit${query}`)).then(
      (loaded) => {
        if (!live) return;
        setPage(loaded);
        setError(undefined);
        if (!firstPageSeen.current) {
          firstPageSeen.current = true;
          onFirstPage(loaded.rows[0]?.row ?? loaded.total_rows);
        }
      },
      (failure: unknown) => {
        if (!live) return;
        setError(failure);
        onError(failure);
      },
    );
    return () => {
      live = false;
    };
  }, [client, run, position, onFirstPage, onError]);

  useEffect(() => {
    if (page !== undefined && page.rows.length > 0 && performance.getEntriesByName('tau-po:run-rendered').length === 0) {
      performance.mark('tau-po:run-rendered');
    }
  }, [page]);

  // Live rows: on the newest page they go on top; elsewhere only the count grows.
  useEffect(
    () =>
      subscribe((row) => {
        setPage((current) => {
          if (current === undefined || current.rows.some((shown) => shown.row === row.row)) return current;
          const total = Math.max(current.total_rows, row.row);
          if (!positionRef.current.newest) return { ...current, total_rows: total };
          return { total_rows: total, rows: [row, ...current.rows].sort((a, b) => b.row - a.row).slice(0, AUDIT_PAGE_ROWS) };
        });
      }),
    [subscribe],
  );

  const total = page?.total_rows ?? 0;
  const newestShown = page?.rows[0]?.row;
  const oldestShown = page?.rows[page.rows.length - 1]?.row;
  const goTo = useCallback(
    (before: number) => setPosition(before > total ? { newest: true } : { newest: false, before: Math.max(before, 2) }),
    [total],
  );

  return (
    <section class="panel audit" aria-labelledby="audit-heading">
      <h2 id="audit-heading">
        Audit log <span class={`chain chain-${verification.state === 'ok' ? (verification.value.ok ? 'ok' : 'bad') : 'pending'}`}>— {verificationHeading(verification)}</span>
      </h2>
      {verification.state === 'ok' && !verification.value.ok && (
        <ul class="diagnostics">
          {verification.value.problems.slice(0, 5).map((problem, index) => (
            <li key={index}>
              {problem.line === null ? '' : `line ${problem.line}: `}
              {problem.kind}: {problem.detail}
            </li>
          ))}
        </ul>
      )}
      {error !== undefined && <ErrorNotice error={error} />}
      <nav class="pager" aria-label="Audit log pages">
        <button type="button" disabled={position.newest} onClick={() => setPosition({ newest: true })}>
          Newest
        </button>
        <button type="button" disabled={newestShown === undefined || newestShown >= total} onClick={() => goTo((newestShown ?? 0) + AUDIT_PAGE_ROWS + 1)}>
          Newer
        </button>
        <button type="button" disabled={oldestShown === undefined || oldestShown <= 1} onClick={() => goTo(oldestShown ?? 1)}>
          Older
        </button>
        <form
          class="jump"
          onSubmit={(event) => {
            event.preventDefault();
            const row = Number.parseInt(jumpTo, 10);
            if (Number.isSafeInteger(row) && row >= 1) goTo(row + 1);
          }}
        >
          <label for="audit-jump">Go to row</label>
          <input id="audit-jump" type="number" min={1} max={total} inputMode="numeric" value={jumpTo} onInput={(event) => setJumpTo((event.currentTarget as HTMLInputElement).value)} />
          <button type="submit">Go</button>
        </form>
      </nav>
      <p class="muted" aria-live="polite">
        {page === undefined
          ? 'Loading audit rows…'
          : page.rows.length === 0
            ? 'The audit log is empty.'
            : `Rows ${formatValue(oldestShown)}–${formatValue(newestShown)} of ${formatValue(total)}, newest first.`}
      </p>
      {page !== undefined && page.rows.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="audit-heading">
          <table class="audit-rows">
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Time</th>
                <th scope="col">Principal</th>
                <th scope="col">Action</th>
                <th scope="col">Lifecycle</th>
                <th scope="col">Idempotent</th>
                <th scope="col">Authenticated</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((pageRow) => {
                const row = pageRow as ShownRow;
                if (row.unparsed !== undefined) {
                  return (
                    <tr key={row.row}>
                      <td>{row.row}</td>
                      <td colSpan={6}>
                        <strong>Unreadable line {row.line}:</strong> <code>{row.unparsed}</code>
                      </td>
                    </tr>
                  );
                }
                return (
                  <tr key={row.row}>
                    <td>{row.row}</td>
                    <td>{formatUnixMs(row.timestamp_unix_ms)}</td>
                    <td>{formatValue(row.principal)}</td>
                    <td>{formatValue(row.action)}</td>
                    <td>{formatValue(row.lifecycle_state)}</td>
                    <td>{formatValue(row.idempotent)}</td>
                    <td>{howAuthenticated(row)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
