import { describe, expect, it } from 'vitest';
import { AuditChainCheck } from './audit-chain-check.js';
import { renderAuditVerification } from './render-audit-verification.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);

describe('renderAuditVerification', () => {
  it('renders an intact chain as one verdict line and the head', () => {
    const check = new AuditChainCheck({ row_count: 2, last_row_sha256: B });
    check.addRow(1, A, undefined);
    check.addRow(2, B, A);
    expect(renderAuditVerification(check.finish('/s/control-audit.jsonl', null), { json: false })).toBe(
      [
        "audit log '/s/control-audit.jsonl': chain intact, 2 rows (2 chained, 0 unchained)",
        `head: 2 rows, last row sha256 ${B}`,
      ].join('\n'),
    );
  });

  it('lists problems and notices with their lines', () => {
    const check = new AuditChainCheck(null);
    check.addRow(1, A, undefined);
    check.addRow(3, B, C);
    const text = renderAuditVerification(check.finish('/s/log', { line: 4, offset: 99, byte_length: 7 }), { json: false });
    expect(text.split('\n')).toEqual([
      "audit log '/s/log': 1 problem found, 2 rows (2 chained, 0 unchained)",
      `head: 2 rows, last row sha256 ${B}`,
      'problems:',
      '  line 3: edited_or_deleted: prev_sha256 cccccccccccc... does not match the row at line 1 (aaaaaaaaaaaa...): that row was edited, or rows between lines 1 and 3 were deleted',
      'notices:',
      '  line 4: torn_tail: unterminated final line of 7 bytes at byte 99 (a crashed append; not a row; `audit repair` quarantines it)',
      '  log: no_expected_head: no recorded audit head: truncation of the tail cannot be checked',
    ]);
  });

  it('lists the rows no link covers, and counts agree with them', () => {
    const check = new AuditChainCheck(null);
    check.addRow(1, A, undefined);
    check.addRow(2, B, undefined);
    check.addRow(4, C, undefined);
    check.addRow(5, 'd'.repeat(64), C);
    const v = check.finish('/s/log', null);
    expect(v).toMatchObject({ rows: 4, chained_rows: 2, unchained_rows: 2, unchained_ranges: [{ first_line: 1, last_line: 2 }] });
    expect(renderAuditVerification(v, { json: false }).split('\n')).toEqual([
      "audit log '/s/log': chain intact, 4 rows (2 chained, 2 unchained)",
      `head: 4 rows, last row sha256 ${'d'.repeat(64)}`,
      'unchained lines: 1-2',
      'notices:',
      '  log: no_expected_head: no recorded audit head: truncation of the tail cannot be checked',
    ]);
  });

  it('renders JSON as the verification object itself', () => {
    const check = new AuditChainCheck(null);
    check.addRow(1, A, undefined);
    const v = check.finish('/s/log', null);
    expect(JSON.parse(renderAuditVerification(v, { json: true }))).toEqual(v);
  });
});
