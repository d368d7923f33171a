// `audit verify` scans the log in byte ranges as replay does, on this thread
// and in worker threads: whatever the split, it must give exactly what the
// row-by-row walk gives, findings, line numbers and collected rows included.
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { formatErrorChain } from '@tau/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditChainFold, type AuditChainFoldOptions } from './audit-chain-fold.js';
import type { AuditReplaySplit } from './replay-audit-log.js';
import { ACTIONS, chainedLines, cutArb, cutOffset, foldOptions, logCaseArb, TempLogFiles } from './test-support/damaged-audit-logs.js';
import { foldAuditChain } from './verify-audit-chain.js';

const BUILT_WORKER = path.join(import.meta.dirname, '..', 'dist', 'audit-range-worker.js');

let logs: TempLogFiles;
beforeAll(() => {
  logs = new TempLogFiles('tau-verify-split-');
});
afterAll(() => logs.remove());

/** The verification, the tail, and the `audit_accept` rows collected (line, action, principal), or the error, as plain data. */
function verifyOutcome(file: string, options: AuditChainFoldOptions, split: AuditReplaySplit): unknown {
  const fold = new AuditChainFold(options);
  const collected: [number, string, string | null][] = [];
  try {
    const verification = foldAuditChain(
      file,
      fold,
      { actions: new Set(['audit_accept']), onCollected: (line, row) => collected.push([line, row.action, typeof row.principal === 'string' ? row.principal : null]) },
      split,
    );
    return { verification, tail: fold.tailPosition, collected };
  } catch (error) {
    return { error: (error as Error).name, chain: formatErrorChain(error) };
  }
}

describe('foldAuditChain split into byte ranges', () => {
  it('property: any split gives exactly the row-by-row verification and collected rows, damaged logs included', () => {
    fc.assert(
      fc.property(logCaseArb, fc.array(cutArb, { maxLength: 10 }), (log, cuts) => {
        const file = logs.write(log.text);
        const options = foldOptions(log.text, log.headChoice, log.headRow);
        const sequential = verifyOutcome(file, options, { at: [], rowByRow: true });
        const at = cuts.map((cut) => cutOffset(log.text, cut)).sort((a, b) => a - b);
        expect(verifyOutcome(file, options, { at, runner: 'in-process' })).toEqual(sequential);
        expect(verifyOutcome(file, options, { at: [] })).toEqual(sequential);
        expect(verifyOutcome(file, options, { minBytes: 1, runner: 'in-process' })).toEqual(sequential);
        fs.rmSync(file);
      }),
      { numRuns: 500 },
    );
  });

  it('walks a range holding a collected row (in its first row or later) and takes the summaries of the others', () => {
    const actions = Array.from({ length: 600 }, (_, index) => (index === 0 || index === 250 || index === 599 ? 'audit_accept' : (ACTIONS[index % 4] as string)));
    const lines = chainedLines(actions);
    const text = lines.map((line) => `${line}\n`).join('');
    const file = logs.write(text);
    const lineStart = (line: number) => Buffer.byteLength(lines.slice(0, line).map((entry) => `${entry}\n`).join(''));
    // A range opening on a collected row, one holding it in the middle, clean ranges, and the last row.
    const at = [lineStart(100), lineStart(250), lineStart(400), lineStart(500)].map((offset) => offset - 1);
    for (const choice of ['none', 'file', 'missing'] as const) {
      const options = foldOptions(text, choice, 600);
      const sequential = verifyOutcome(file, options, { at: [], rowByRow: true });
      expect((sequential as { collected: unknown[] }).collected).toEqual([
        [1, 'audit_accept', 'local:alice'],
        [251, 'audit_accept', 'local:bob'],
        [600, 'audit_accept', 'ci:nightly'],
      ]);
      expect(verifyOutcome(file, options, { at, runner: 'in-process' })).toEqual(sequential);
      expect(verifyOutcome(file, options, { at, runner: 'workers-only', workerPath: BUILT_WORKER })).toEqual(sequential);
    }
  });

  it('with worker threads (the built entry) claiming ranges too, damaged logs give the row-by-row verification', () => {
    expect(fs.existsSync(BUILT_WORKER), `${BUILT_WORKER} missing: build @tau/audit-log first`).toBe(true);
    fc.assert(
      fc.property(logCaseArb, fc.array(cutArb, { minLength: 1, maxLength: 12 }), (log, cuts) => {
        const file = logs.write(log.text);
        const options = foldOptions(log.text, log.headChoice, log.headRow);
        const at = cuts.map((cut) => cutOffset(log.text, cut)).sort((a, b) => a - b);
        const sequential = verifyOutcome(file, options, { at: [], rowByRow: true });
        expect(verifyOutcome(file, options, { at, runner: 'workers-only', workerPath: BUILT_WORKER })).toEqual(sequential);
        expect(verifyOutcome(file, options, { at, runner: 'worker', workerPath: BUILT_WORKER })).toEqual(sequential);
        fs.rmSync(file);
      }),
      { numRuns: 20 },
    );
  });
});
