import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_INDEX_STRIDE, AuditRowIndex } from './audit-row-index.js';

let dir: string;
let logPath: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-audit-index-'));
  logPath = path.join(dir, 'control-audit.jsonl');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

type Line = { kind: 'row'; n: number } | { kind: 'blank'; text: string } | { kind: 'malformed' };

const lineArbitrary = fc.oneof(
  { weight: 20, arbitrary: fc.nat().map((n): Line => ({ kind: 'row', n })) },
  { weight: 2, arbitrary: fc.constantFrom('', ' ', '\t', '\r', '\u00a0 ').map((text): Line => ({ kind: 'blank', text })) },
  { weight: 1, arbitrary: fc.constant<Line>({ kind: 'malformed' }) },
);

function textOf(line: Line): string {
  if (line.kind === 'row') return JSON.stringify({ action: 'pause', n: line.n, note: 'é' });
  if (line.kind === 'blank') return line.text;
  return '{"action": "pau';
}

/** What the page should be, computed the slow way from the whole text. */
function naiveRows(text: string): { row: number; line: number; text: string }[] {
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  const rows: { row: number; line: number; text: string }[] = [];
  complete
    .split('\n')
    .slice(0, -1)
    .forEach((lineText, index) => {
      if (lineText.trim() === '') return;
      rows.push({ row: rows.length + 1, line: index + 1, text: lineText });
    });
  return rows;
}

function expectPageMatches(index: AuditRowIndex, text: string, request: { after: number; limit: number } | { before: number; limit: number }): void {
  const expected = naiveRows(text);
  const page = index.page(request);
  expect(page.total_rows).toBe(expected.length);
  const wanted =
    'after' in request
      ? expected.filter((row) => row.row > request.after).slice(0, request.limit)
      : expected.filter((row) => row.row < request.before).slice(-request.limit).reverse();
  expect(page.rows.map((row) => [row.row, row.line])).toEqual(wanted.map((row) => [row.row, row.line]));
  for (const [position, row] of page.rows.entries()) {
    const source = wanted[position]!.text;
    if (row.unparsed === undefined) expect({ ...row, row: undefined, line: undefined }).toEqual({ ...JSON.parse(source), row: undefined, line: undefined });
    else expect(row.unparsed).toBe(source);
  }
}

describe('AuditRowIndex', () => {
  it('an absent log has no rows', () => {
    expect(new AuditRowIndex(logPath).page({ before: Number.MAX_SAFE_INTEGER, limit: 10 })).toEqual({ total_rows: 0, rows: [] });
  });

  it('pages like a full read, across stride marks, as the log grows by appends (property)', () => {
    fc.assert(
      fc.property(
        fc.array(lineArbitrary, { minLength: 0, maxLength: 2 * AUDIT_INDEX_STRIDE + 300 }),
        fc.array(lineArbitrary, { maxLength: 1200 }),
        fc.boolean(),
        fc.nat({ max: 4000 }),
        fc.integer({ min: 1, max: 1000 }),
        (first, appended, tornTail, position, limit) => {
          fs.rmSync(logPath, { force: true });
          let text = first.map((line) => `${textOf(line)}\n`).join('') + (tornTail ? '{"action":"res' : '');
          fs.writeFileSync(logPath, text);
          const index = new AuditRowIndex(logPath);
          expectPageMatches(index, text, { after: position, limit });
          expectPageMatches(index, text, { before: position, limit });
          // The torn tail is completed by the append that follows it.
          const more = (tornTail ? 'ume"}\n' : '') + appended.map((line) => `${textOf(line)}\n`).join('');
          fs.appendFileSync(logPath, more);
          text += more;
          expectPageMatches(index, text, { after: position, limit });
          expectPageMatches(index, text, { before: Number.MAX_SAFE_INTEGER, limit });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('starts over when the log is replaced or cut', () => {
    fs.writeFileSync(logPath, Array.from({ length: 3000 }, (_, n) => `${JSON.stringify({ action: 'pause', n })}\n`).join(''));
    const index = new AuditRowIndex(logPath);
    expect(index.page({ after: 0, limit: 1 }).total_rows).toBe(3000);
    fs.writeFileSync(`${logPath}.new`, `${JSON.stringify({ action: 'resume', n: 'new' })}\n`);
    fs.renameSync(`${logPath}.new`, logPath);
    expect(index.page({ after: 0, limit: 5 })).toEqual({ total_rows: 1, rows: [{ action: 'resume', n: 'new', row: 1, line: 1 }] });
    fs.truncateSync(logPath, 0);
    expect(index.page({ after: 0, limit: 5 })).toEqual({ total_rows: 0, rows: [] });
  });

  it('a row cannot override its row and line numbers', () => {
    fs.writeFileSync(logPath, '{"action":"pause","row":99,"line":99}\n');
    expect(new AuditRowIndex(logPath).page({ after: 0, limit: 1 }).rows).toEqual([{ action: 'pause', row: 1, line: 1 }]);
  });
});
