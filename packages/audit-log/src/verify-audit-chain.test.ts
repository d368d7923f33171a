import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuditHead } from '@tau/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAuditRow } from './append-audit-row.js';
import type { AuditVerification } from './audit-chain-check.js';
import { replayAuditLog } from './replay-audit-log.js';
import { verifyAuditChain } from './verify-audit-chain.js';
import { controlRow, tauRowLine } from './test-support/audit-row-examples.js';

let dir: string;
let log: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-audit-verify-'));
  log = path.join(dir, 'control-audit.jsonl');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Appends `count` chained rows through the real append; returns the head. */
function appendRows(count: number, head: AuditHead = { row_count: 0, last_row_sha256: null }): AuditHead {
  const actions = ['pause', 'resume', 'cancel', 'rollback'] as const;
  for (let i = 0; i < count; i += 1) head = appendAuditRow(log, controlRow(actions[i % 4] as (typeof actions)[number], 1000 + i), head);
  return head;
}

function lines(): string[] {
  return fs.readFileSync(log, 'utf8').split('\n').slice(0, -1);
}

function writeLines(next: string[]): void {
  fs.writeFileSync(log, `${next.join('\n')}\n`);
}

function kinds(v: AuditVerification): string[] {
  return v.problems.map((p) => `${p.kind}@${p.line}`);
}

describe('verifyAuditChain', () => {
  it('finds an intact chain intact, and agrees with the recorded head', () => {
    const head = appendRows(5);
    const v = verifyAuditChain(log, head);
    // The first row carries no prev_sha256 by design; the chain starts there, so it counts as chained.
    expect(v).toMatchObject({ ok: true, rows: 5, chained_rows: 5, unchained_rows: 0, head, problems: [] });
    expect(v.unchained_ranges).toEqual([]);
    expect(v.notices).toEqual([]);
  });

  it('counts a log of one row as chained only when the recorded head names it', () => {
    const head = appendRows(1);
    expect(verifyAuditChain(log, head)).toMatchObject({ ok: true, rows: 1, chained_rows: 1, unchained_rows: 0, unchained_ranges: [] });
    expect(verifyAuditChain(log)).toMatchObject({ ok: true, rows: 1, chained_rows: 0, unchained_rows: 1, unchained_ranges: [{ first_line: 1, last_line: 1 }] });
  });

  it('counts an edited first row as chained, with the broken link as the problem', () => {
    const head = appendRows(3);
    const edited = lines();
    edited[0] = (edited[0] as string).replace('"principal":"local:alice"', '"principal":"local:mallory"');
    writeLines(edited);
    const v = verifyAuditChain(log, head);
    expect(kinds(v)).toEqual(['edited_or_deleted@2']);
    expect(v).toMatchObject({ rows: 3, chained_rows: 3, unchained_rows: 0 });
  });

  it('verifies a missing log as empty', () => {
    expect(verifyAuditChain(log, { row_count: 0, last_row_sha256: null })).toMatchObject({ ok: true, rows: 0 });
  });

  it('reports an edited row at the line whose prev_sha256 no longer matches', () => {
    const head = appendRows(4);
    const edited = lines();
    edited[1] = (edited[1] as string).replace('"principal":"local:alice"', '"principal":"local:mallory"');
    writeLines(edited);
    const v = verifyAuditChain(log, head);
    expect(v.ok).toBe(false);
    expect(kinds(v)).toEqual(['edited_or_deleted@3']);
    expect(v.problems[0]?.detail).toMatch(/row at line 2 .*edited, or rows between lines 2 and 3 were deleted/);
  });

  it('reports a row deleted from the middle, and with the head, that rows are missing', () => {
    const head = appendRows(5);
    writeLines(lines().filter((_, i) => i !== 2));
    const v = verifyAuditChain(log, head);
    expect(kinds(v)).toEqual(['edited_or_deleted@3', 'deleted@4']);
    expect(v.problems[1]?.detail).toMatch(/1 rows before it were deleted/);
  });

  it('reports deleted leading rows (the first row names a predecessor)', () => {
    appendRows(3);
    writeLines(lines().slice(1));
    expect(kinds(verifyAuditChain(log))).toEqual(['deleted@1']);
  });

  it('reports a truncated tail only when given the recorded head', () => {
    const head = appendRows(5);
    writeLines(lines().slice(0, 3));
    expect(verifyAuditChain(log).ok).toBe(true);
    const v = verifyAuditChain(log, head);
    expect(kinds(v)).toEqual(['truncated@null']);
    expect(v.problems[0]?.detail).toMatch(/the log has 3 rows and lacks the recorded last row/);
  });

  it('reports a head mismatch when the recorded last row was edited in place', () => {
    const head = appendRows(3);
    const edited = lines();
    edited[2] = (edited[2] as string).replace('"idempotent":false', '"idempotent":true');
    writeLines(edited);
    expect(kinds(verifyAuditChain(log, head))).toEqual(['head_mismatch@3']);
  });

  it('treats rows Tau appended after ours as unchained, not tampering, and notes the head behind', () => {
    const head = appendRows(3);
    fs.appendFileSync(log, tauRowLine('pause', 5000) + tauRowLine('resume', 5001));
    const v = verifyAuditChain(log, head);
    expect(v).toMatchObject({ ok: true, rows: 5, chained_rows: 3, unchained_rows: 2 });
    expect(v.unchained_ranges).toEqual([{ first_line: 4, last_line: 5 }]);
    expect(v.notices.map((n) => `${n.kind}@${n.line}`)).toEqual(['unchained_after_chained@4', 'head_behind@null']);
    // A row we append after Tau's links to Tau's last row, so the chain continues and covers that row too.
    appendAuditRow(log, controlRow('cancel', 6000), replayAuditLog(log).head);
    const continued = verifyAuditChain(log);
    expect(continued).toMatchObject({ ok: true, rows: 6, chained_rows: 5, unchained_rows: 1 });
    expect(continued.unchained_ranges).toEqual([{ first_line: 4, last_line: 4 }]);
  });

  it('a chain started on a Tau log covers Tau\'s last row only, and a lone Tau row between ours drops its notice', () => {
    fs.writeFileSync(log, tauRowLine('pause', 1) + '\n' + tauRowLine('resume', 2) + tauRowLine('cancel', 3));
    appendRows(1, replayAuditLog(log).head);
    const v = verifyAuditChain(log);
    expect(v).toMatchObject({ ok: true, rows: 4, chained_rows: 2, unchained_rows: 2 });
    // Line 2 is blank: the range is rows 1 and 3, ending at the row before the chain's start (line 4).
    expect(v.unchained_ranges).toEqual([{ first_line: 1, last_line: 3 }]);
    fs.appendFileSync(log, tauRowLine('pause', 4));
    appendRows(1, replayAuditLog(log).head);
    const w = verifyAuditChain(log);
    expect(w).toMatchObject({ ok: true, rows: 6, chained_rows: 4, unchained_rows: 2, unchained_ranges: [{ first_line: 1, last_line: 3 }] });
    expect(w.notices.map((n) => n.kind)).toEqual(['no_expected_head']);
  });

  it('verifies a pure Tau log as all unchained, without problems', () => {
    fs.writeFileSync(log, tauRowLine('pause', 1) + tauRowLine('resume', 2) + tauRowLine('cancel', 3));
    expect(verifyAuditChain(log)).toMatchObject({ ok: true, unchained_rows: 3, unchained_ranges: [{ first_line: 1, last_line: 3 }] });
  });

  it('carries on past a malformed line, reports it, and notes a torn tail', () => {
    appendRows(2);
    fs.appendFileSync(log, '{broken\n');
    appendRows(1, replayAuditLogIgnoringErrors());
    fs.appendFileSync(log, '{"act');
    const v = verifyAuditChain(log);
    expect(kinds(v)).toEqual(['malformed@3']);
    expect(v.rows).toBe(4);
    expect(v.notices.map((n) => n.kind)).toEqual(['torn_tail', 'no_expected_head']);
  });

  it('reports a prev_sha256 that is not a digest', () => {
    appendRows(2);
    const edited = lines();
    edited[1] = (edited[1] as string).replace(/"prev_sha256":"[0-9a-f]+"/, '"prev_sha256":"nope"');
    writeLines(edited);
    expect(kinds(verifyAuditChain(log))).toEqual(['invalid_prev_sha256@2']);
  });
});

/** The head after a malformed line: what a chain would link to (hash of the last line, malformed or not). */
function replayAuditLogIgnoringErrors(): AuditHead {
  return verifyAuditChain(log).head;
}
