import { escapeTerminalText } from '@tau/schemas';
import type { AuditFinding, AuditVerification } from './audit-chain-check.js';

function findingLine(finding: AuditFinding<string>): string {
  const where = finding.line === null ? 'log' : `line ${finding.line}`;
  return `  ${where}: ${finding.kind}: ${escapeTerminalText(finding.detail)}`;
}

function describeRows(v: AuditVerification): string {
  return `${v.rows} rows (${v.chained_rows} chained, ${v.unchained_rows} unchained)`;
}

/**
 * Renders a verification for `audit verify`: pretty JSON (the object as is)
 * with `json`, else a short text report: a verdict line, then one line per
 * problem and notice.
 */
export function renderAuditVerification(v: AuditVerification, options: { json: boolean }): string {
  if (options.json) return JSON.stringify(v, null, 2);
  const lines: string[] = [];
  const problemCount = v.problems.length + v.problems_not_listed;
  lines.push(
    v.ok
      ? `audit log '${escapeTerminalText(v.path)}': chain intact, ${describeRows(v)}`
      : `audit log '${escapeTerminalText(v.path)}': ${problemCount} problem${problemCount === 1 ? '' : 's'} found, ${describeRows(v)}`,
  );
  const head = v.head.last_row_sha256 === null ? 'empty' : `${v.head.row_count} rows, last row sha256 ${v.head.last_row_sha256}`;
  lines.push(`head: ${head}`);
  if (v.problems.length > 0) {
    lines.push('problems:');
    for (const problem of v.problems) lines.push(findingLine(problem));
    if (v.problems_not_listed > 0) lines.push(`  ... and ${v.problems_not_listed} more`);
  }
  if (v.unchained_ranges.length > 0) {
    const ranges = v.unchained_ranges.map((r) => (r.first_line === r.last_line ? `${r.first_line}` : `${r.first_line}-${r.last_line}`));
    const shown = ranges.length > 20 ? [...ranges.slice(0, 20), `... (${ranges.length - 20} more ranges)`] : ranges;
    lines.push(`unchained lines: ${shown.join(', ')}`);
  }
  if (v.notices.length > 0) {
    lines.push('notices:');
    for (const notice of v.notices) lines.push(findingLine(notice));
  }
  return lines.join('\n');
}
