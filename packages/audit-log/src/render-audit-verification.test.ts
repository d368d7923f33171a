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
        "audit log '/s/control-audit.jsonl': chain intact, 2 rows (1 chained, 1 unchained)",
        `head: 2 rows, last row sha256 ${B}`,
        'unchained lines: 1',
      ].join('\n'),
    );
  });

  it('lists problems and notices with their lines', () => {
    const check = new AuditChainCheck(null);
    check.addRow(1, A, undefined);
    check.addRow(3, B, C);
    const text = renderAuditVerification(check.finish('/s/log', { line: 4, offset: 99, byte_length: 7 }), { json: false });
    expect(text.split('\n')).toEqual([
      "audit log '/s/log': 1 problem found, 2 rows (1 chained, 1 unchained)",
      `head: 2 rows, last row sha256 ${B}`,
      'problems:',
      '  line 3: edited_or_deleted: prev_sha256 cccccccccccc... does not match the row at line 1 (aaaaaaaaaaaa...): that row was edited, or rows between lines 1 and 3 were deleted',
      'unchained lines: 1',
      'notices:',
      '  line 4: torn_tail: unterminated final line of 7 bytes at byte 99 (a crashed append; not a row; `audit repair` quarantines it)',
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
