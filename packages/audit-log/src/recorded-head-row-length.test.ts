// Rows nothing links (Tau's) are hashed only at the recorded head row's
// length, read back from the head file's position. That must never change a
// verdict: whatever the head file says and wherever copies of the head's row
// sit (with either line ending), replay and `audit verify` give exactly what
// hashing every row gives.
import fc from 'fast-check';
import fs from 'node:fs';
import { formatErrorChain } from '@tau/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditChainFold, type AuditChainFoldOptions, type AuditChainHead } from './audit-chain-fold.js';
import type { AuditLogReader } from './audit-log-reader.js';
import { openAuditLogReader } from './open-audit-log.js';
import { MAX_HEAD_ROW_READ_BYTES, recordedHeadRowLength } from './recorded-head-row-length.js';
import { replayAuditLog, type AuditReplaySplit } from './replay-audit-log.js';
import { rowSha256Hex } from './row-hash.js';
import { ACTIONS, chainedLines, cutArb, cutOffset, TempLogFiles } from './test-support/damaged-audit-logs.js';
import { foldAuditChain } from './verify-audit-chain.js';

let logs: TempLogFiles;
beforeAll(() => {
  logs = new TempLogFiles('tau-head-length-');
});
afterAll(() => logs.remove());

function withLog<T>(text: string, use: (log: AuditLogReader, size: number) => T): T {
  const file = logs.write(text);
  const log = openAuditLogReader(file) as AuditLogReader;
  try {
    return use(log, log.size());
  } finally {
    log.close();
  }
}

describe('recordedHeadRowLength', () => {
  const rows = ['{"a":1}', '{"action":"pause"}', '{"b":22}'];
  const text = rows.map((row) => `${row}\n`).join('');
  const second = { last_row_offset: 8, end_offset: 27, row_count: 2, last_row_sha256: rowSha256Hex(Buffer.from(rows[1] as string)) };

  it.each<[string, string, Partial<AuditChainHead> | null, number | null]>([
    ['the row at the recorded position hashes to the head', text, {}, 18],
    ['a CRLF line: the length without its line ending', text.replace('"pause"}\n', '"pause"}\r\n'), { end_offset: 28 }, 18],
    ['no head', text, null, null],
    ['a head of no rows', text, { last_row_sha256: null }, null],
    ['a legacy head (no position)', text, { last_row_offset: 0, end_offset: 0 }, null],
    ['another row there', text, { last_row_sha256: rowSha256Hex(Buffer.from(rows[0] as string)) }, null],
    ['the end one byte short (no line end read)', text, { end_offset: 26 }, null],
    ['the end one byte long (two lines read)', text, { end_offset: 28 }, null],
    ['the start one byte late', text, { last_row_offset: 9 }, null],
    ['past the end of the file', text, { end_offset: text.length + 1 }, null],
    ['a negative offset', text, { last_row_offset: -1 }, null],
    ['a fractional offset', text, { last_row_offset: 7.5 }, null],
    ['an unterminated last line', text.slice(0, -1), { last_row_offset: 27, end_offset: 35, last_row_sha256: rowSha256Hex(Buffer.from(rows[2] as string)) }, null],
  ])('%s', (_name, log, change, expected) => {
    const head = change === null ? null : { ...second, ...change };
    expect(withLog(log, (reader, size) => recordedHeadRowLength(reader, head, size))).toBe(expected);
  });

  it('does not read back a span longer than any row it would hash', () => {
    const long = `{"x":"${'a'.repeat(MAX_HEAD_ROW_READ_BYTES)}"}`;
    const head = { row_count: 1, last_row_offset: 0, end_offset: long.length + 1, last_row_sha256: rowSha256Hex(Buffer.from(long)) };
    expect(withLog(`${long}\n`, (reader, size) => recordedHeadRowLength(reader, head, size))).toBeNull();
  });
});

/** A log Tau wrote (then maybe some rows of ours), copies of one row inserted, and a head file naming that row, right or wrong. */
interface HeadCopyCase {
  text: string;
  options: AuditChainFoldOptions;
}

const headCopyCaseArb: fc.Arbitrary<HeadCopyCase> = fc
  .record({
    actions: fc.array(fc.constantFrom(...ACTIONS), { minLength: 70, maxLength: 260 }),
    oursAtEnd: fc.nat({ max: 5 }),
    headAt: fc.nat(),
    copies: fc.array(fc.record({ at: fc.nat(), crlf: fc.boolean() }), { maxLength: 3 }),
    countShift: fc.constantFrom(0, 0, -1, 1),
    position: fc.constantFrom('exact', 'exact', 'end_short', 'end_long', 'start_late', 'crlf_head'),
  })
  .map(({ actions, oursAtEnd, headAt, copies, countShift, position }) => {
    const byTau = actions.map((_, index) => index < actions.length - oursAtEnd);
    const lines: { text: string; head: boolean }[] = chainedLines(actions, byTau).map((text) => ({ text, head: false }));
    const headIndex = headAt % lines.length;
    const headText = (lines[headIndex] as { text: string }).text;
    (lines[headIndex] as { head: boolean }).head = true;
    if (position === 'crlf_head') (lines[headIndex] as { text: string }).text = `${headText}\r`;
    for (const copy of copies) lines.splice(copy.at % (lines.length + 1), 0, { text: copy.crlf ? `${headText}\r` : headText, head: false });
    let offset = 0;
    let head: AuditChainHead | undefined;
    lines.forEach((line, index) => {
      const end = offset + Buffer.byteLength(line.text) + 1;
      if (line.head) head = { row_count: Math.max(1, index + 1 + countShift), last_row_offset: offset, end_offset: end, last_row_sha256: rowSha256Hex(Buffer.from(headText)) };
      offset = end;
    });
    const found = head as AuditChainHead;
    const expectedHead =
      position === 'end_short'
        ? { ...found, end_offset: found.end_offset - 1 }
        : position === 'end_long'
          ? { ...found, end_offset: found.end_offset + 1 }
          : position === 'start_late'
            ? { ...found, last_row_offset: found.last_row_offset + 1 }
            : found;
    return { text: lines.map((line) => `${line.text}\n`).join(''), options: { expectedHead, headSource: 'file' as const } };
  });

function replayOutcome(file: string, options: AuditChainFoldOptions, split: AuditReplaySplit): unknown {
  const chainFold = new AuditChainFold(options);
  try {
    const replay = replayAuditLog(file, { collectActions: true, chainFold }, split);
    return { replay: { ...replay, replayed_actions: replay.replayed_actions?.toJSON() ?? null }, verification: chainFold.finish(file, replay.torn_tail), tail: chainFold.tailPosition };
  } catch (error) {
    return { error: (error as Error).name, chain: formatErrorChain(error) };
  }
}

function verifyOutcome(file: string, options: AuditChainFoldOptions, split: AuditReplaySplit): unknown {
  const fold = new AuditChainFold(options);
  try {
    return { verification: foldAuditChain(file, fold, undefined, split), tail: fold.tailPosition };
  } catch (error) {
    return { error: (error as Error).name, chain: formatErrorChain(error) };
  }
}

describe('hashing only rows of the head row length', () => {
  it('property: replay and verify give what hashing every row gives, copies of the head row and wrong head files included', () => {
    fc.assert(
      fc.property(headCopyCaseArb, fc.array(cutArb, { maxLength: 6 }), ({ text, options }, cuts) => {
        const file = logs.write(text);
        const at = cuts.map((cut) => cutOffset(text, cut)).sort((a, b) => a - b);
        for (const outcomeOf of [replayOutcome, verifyOutcome]) {
          const rowByRow = outcomeOf(file, options, { at: [], rowByRow: true });
          expect(outcomeOf(file, options, { at: [] })).toEqual(rowByRow);
          expect(outcomeOf(file, options, { at, runner: 'in-process' })).toEqual(rowByRow);
        }
        fs.rmSync(file);
      }),
      { numRuns: 150 },
    );
  });

  it('finds a later copy of the head row with a CRLF ending: rows inserted before the recorded head', () => {
    const lines = chainedLines(
      Array.from({ length: 200 }, (_, index) => ACTIONS[index % 4] as string),
      Array.from({ length: 200 }, () => true),
    );
    const headText = lines[99] as string;
    const withCopy = [...lines.slice(0, 150), `${headText}\r`, ...lines.slice(150)];
    const text = withCopy.map((line) => `${line}\n`).join('');
    const offset = Buffer.byteLength(lines.slice(0, 99).map((line) => `${line}\n`).join(''));
    const options: AuditChainFoldOptions = {
      expectedHead: { row_count: 100, last_row_offset: offset, end_offset: offset + Buffer.byteLength(headText) + 1, last_row_sha256: rowSha256Hex(Buffer.from(headText)) },
      headSource: 'file',
    };
    const file = logs.write(text);
    const verification = verifyOutcome(file, options, { at: [] }) as { verification: { problems: { kind: string; line: number }[] } };
    expect(verification.verification.problems).toEqual([expect.objectContaining({ kind: 'inserted', line: 151 })]);
    expect(verification).toEqual(verifyOutcome(file, options, { at: [], rowByRow: true }));
  });
});
