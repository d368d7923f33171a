import { describe, expect, it } from 'vitest';
import { AuditChainFold, type AuditChainFoldOptions, type AuditRowFacts } from './audit-chain-fold.js';

const hash = (n: number): string => n.toString(16).padStart(64, '0');

/** Rows 1..n, each linking to the one before (row 1 starts the chain), 100 bytes each plus `\n`. */
function chain(n: number): AuditRowFacts[] {
  return Array.from({ length: n }, (_, i) => ({
    line: i + 1,
    offset: i * 101,
    byteLength: 100,
    sha256: hash(i + 1),
    prevSha256: i === 0 ? undefined : hash(i),
  }));
}

function headAt(rows: AuditRowFacts[], count: number): AuditChainFoldOptions {
  const row = rows[count - 1]!;
  return {
    headSource: 'file',
    expectedHead: { row_count: count, last_row_offset: row.offset, end_offset: row.offset + 101, last_row_sha256: row.sha256 },
  };
}

function fold(rows: AuditRowFacts[], options: AuditChainFoldOptions) {
  const f = new AuditChainFold(options);
  for (const row of rows) f.addRow(row);
  return { verification: f.finish('log', null), tail: f.tailPosition };
}

const kinds = (rows: AuditRowFacts[], options: AuditChainFoldOptions) =>
  fold(rows, options).verification.problems.map((p) => p.kind);

describe('AuditChainFold', () => {
  it('an intact chain with its head is ok and reports where the log ends', () => {
    const rows = chain(4);
    const { verification, tail } = fold(rows, headAt(rows, 4));
    expect(verification.ok).toBe(true);
    expect(tail).toEqual({ row_count: 4, last_row_offset: 303, end_offset: 404, last_row_sha256: hash(4) });
  });

  it('our own next commit after the head (links on) is a notice, not a problem', () => {
    const rows = chain(5);
    const { verification } = fold(rows, headAt(rows, 4));
    expect(verification.ok).toBe(true);
    expect(verification.notices.map((n) => n.kind)).toContain('head_behind');
  });

  it('an unchained append after the head is unverifiable, not a break', () => {
    const rows = chain(4);
    rows.push({ line: 5, offset: 404, byteLength: 50, sha256: hash(99), prevSha256: undefined });
    expect(kinds(rows, headAt(rows.slice(0, 4), 4))).toEqual([]);
  });

  it('an edited head row followed by an unchained append is still caught', () => {
    const rows = chain(4);
    rows[3] = { ...rows[3]!, sha256: hash(77) };
    rows.push({ line: 5, offset: 404, byteLength: 50, sha256: hash(99), prevSha256: undefined });
    expect(kinds(rows, headAt(chain(4), 4))).toContain('head_mismatch');
  });

  it('bytes changed before the head (same hashes, moved offset) are caught', () => {
    const rows = chain(4).map((r) => ({ ...r, offset: r.offset + 3 }));
    expect(kinds(rows, headAt(chain(4), 4))).toEqual(['head_offset_mismatch']);
  });

  it('a missing head file with chained rows is a finding; with only a first row it is not', () => {
    expect(kinds(chain(3), { expectedHead: null, headSource: 'missing' })).toEqual(['head_missing']);
    expect(kinds(chain(1), { expectedHead: null, headSource: 'missing' })).toEqual([]);
  });

  const tamperings: [string, (rows: AuditRowFacts[]) => AuditRowFacts[], string][] = [
    ['edit in the middle', (r) => r.map((x, i) => (i === 2 ? { ...x, sha256: hash(500) } : x)), 'edited_or_deleted'],
    ['deletion in the middle', (r) => r.filter((_, i) => i !== 2), 'edited_or_deleted'],
    ['deletion of the first rows', (r) => r.slice(2), 'deleted'],
    ['truncation', (r) => r.slice(0, 3), 'truncated'],
    ['reordering', (r) => [r[0]!, r[2]!, r[1]!, ...r.slice(3)], 'edited_or_deleted'],
  ];
  it.each(tamperings)('%s is a problem', (_name, tamper, kind) => {
    const rows = chain(6);
    expect(kinds(tamper(rows), headAt(rows, 6))).toContain(kind);
  });
});
