import { escapeTerminalText, unixMsText, type AuditReplayRow, type LifecycleState } from '@tau/schemas';
import { ansiStyler, type AnsiStyleName } from './ansi-style.js';
import { lifecycleAfterAction } from './audit-replay-fold.js';
import { auditRowFieldsOf } from './audit-row-fields.js';

/** With no control state, Tau treats the run as running; so does the first row's "from". */
const INITIAL_LIFECYCLE: LifecycleState = 'running';

const LIFECYCLE_STYLE: Record<LifecycleState, AnsiStyleName> = {
  running: 'green',
  paused: 'yellow',
  cancelled: 'red',
  rollback_requested: 'magenta',
};

/** Row text is operator-controlled: show control characters escaped, never send them to the terminal. */
const printable = escapeTerminalText;

interface TimelineEntry {
  time: string;
  principal: string;
  action: string;
  from: LifecycleState;
  to: LifecycleState;
  idempotent: boolean;
}

/** Each row's transition, with "from" carried over from the row before. */
function timelineEntries(rows: Iterable<AuditReplayRow>): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  let current = INITIAL_LIFECYCLE;
  for (const row of rows) {
    const fields = auditRowFieldsOf(row);
    const derived = lifecycleAfterAction(fields.action);
    const to = derived === undefined ? current : (fields.lifecycle_state ?? derived);
    entries.push({
      time: fields.timestamp_unix_ms === undefined ? '(no time)' : unixMsText(fields.timestamp_unix_ms),
      principal: fields.principal === undefined ? '(no principal)' : printable(fields.principal),
      action: printable(fields.action),
      from: current,
      to,
      idempotent: fields.idempotent === true,
    });
    current = to;
  }
  return entries;
}

/**
 * Renders lifecycle transitions over time, one aligned line per row: time
 * (ISO, UTC), principal, action, `from -> to`, and `idempotent` when the row
 * changed nothing. Colour only when `color` is true (decide with
 * `shouldUseColor`). Rows without a timestamp or principal show a placeholder.
 */
export function renderAuditTimeline(rows: Iterable<AuditReplayRow>, options: { color: boolean }): string {
  const style = ansiStyler(options.color);
  const entries = timelineEntries(rows);
  if (entries.length === 0) return '(no audit rows)';
  const widths = { time: 0, principal: 0, action: 0, from: 0 };
  for (const entry of entries) {
    widths.time = Math.max(widths.time, entry.time.length);
    widths.principal = Math.max(widths.principal, entry.principal.length);
    widths.action = Math.max(widths.action, entry.action.length);
    widths.from = Math.max(widths.from, entry.from.length);
  }
  return entries
    .map((entry) => {
      const cells = [
        style('dim', entry.time.padEnd(widths.time)),
        style('cyan', entry.principal.padEnd(widths.principal)),
        style('bold', entry.action.padEnd(widths.action)),
        `${style(LIFECYCLE_STYLE[entry.from], entry.from.padEnd(widths.from))} -> ${style(LIFECYCLE_STYLE[entry.to], entry.to)}`,
      ];
      if (entry.idempotent) cells.push(style('dim', '(idempotent)'));
      return cells.join('  ').trimEnd();
    })
    .join('\n');
}
