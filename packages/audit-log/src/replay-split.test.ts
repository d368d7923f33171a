import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatErrorChain } from '@tau/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditChainFold, type AuditChainFoldOptions } from './audit-chain-fold.js';
import { AuditRangeScans } from './audit-range-runner.js';
import { RECENT_ROWS_KEPT, summarizeAuditRange, type AuditRangeInput } from './audit-range-summary.js';
import type { AuditLogReader } from './audit-log-reader.js';
import { openAuditLogReader } from './open-audit-log.js';
import { replayAuditLog, type AuditReplaySplit } from './replay-audit-log.js';
import { rowSha256Hex } from './row-hash.js';
import { ACTIONS, chainedLines, cutArb, cutOffset, foldOptions, logCaseArb, TempLogFiles } from './test-support/damaged-audit-logs.js';

/** The built worker entry: `pnpm test` builds first (turbo), as does `pnpm --filter @tau/audit-log build`. */
const BUILT_WORKER = path.join(import.meta.dirname, '..', 'dist', 'audit-range-worker.js');

let logs: TempLogFiles;
beforeAll(() => {
  logs = new TempLogFiles('tau-audit-split-');
});
afterAll(() => logs.remove());

/** Everything a replay gives (result, chain verdict, tail), or the error it throws, as plain data. */
function outcome(file: string, options: AuditChainFoldOptions | null, collectActions: boolean, split: AuditReplaySplit): unknown {
  // null options: a replay without the chain check (status, doctor).
  const chainFold = options === null ? undefined : new AuditChainFold(options);
  try {
    const replay = replayAuditLog(file, { collectActions, ...(chainFold === undefined ? {} : { chainFold }) }, split);
    return {
      replay: { ...replay, replayed_actions: replay.replayed_actions?.toJSON() ?? null },
      verification: chainFold?.finish(file, replay.torn_tail) ?? null,
      tail: chainFold?.tailPosition ?? null,
    };
  } catch (error) {
    return { error: (error as Error).name, chain: formatErrorChain(error) };
  }
}

describe('replayAuditLog split into byte ranges', () => {
  it('property: any split gives exactly the sequential result (rows, actions, findings, line numbers, errors), damaged logs included', () => {
    fc.assert(
      fc.property(logCaseArb, fc.array(cutArb, { maxLength: 10 }), fc.boolean(), fc.boolean(), (log, cuts, collect, checkChain) => {
        const file = logs.write(log.text);
        const options = checkChain ? foldOptions(log.text, log.headChoice, log.headRow) : null;
        const sequential = outcome(file, options, collect, { at: [], rowByRow: true });
        const at = cuts.map((cut) => cutOffset(log.text, cut)).sort((a, b) => a - b);
        expect(outcome(file, options, collect, { at, runner: 'in-process' })).toEqual(sequential);
        expect(outcome(file, options, collect, { at: [] })).toEqual(sequential);
        // The default cuts (even ranges, then smaller ones at the end), on a log of any size.
        expect(outcome(file, options, collect, { minBytes: 1, runner: 'in-process' })).toEqual(sequential);
        fs.rmSync(file);
      }),
      { numRuns: 600 },
    );
  });

  it('splits a long clean log into summarized ranges and still matches, wherever the recorded head row falls', () => {
    const rows = RECENT_ROWS_KEPT * 3;
    const text = chainedLines(Array.from({ length: rows }, (_, index) => ACTIONS[index % 4] as string))
      .map((line) => `${line}\n`)
      .join('');
    const file = logs.write(text);
    const size = Buffer.byteLength(text);
    // Head rows at the start, in a range's kept tail, before it (the row-by-row walk takes over), at the end.
    for (const headRow of [1, 2, rows / 3, rows / 2, rows - RECENT_ROWS_KEPT - 5, rows - 3, rows]) {
      for (const choice of ['file', 'file_bad_offset', 'legacy'] as const) {
        const options = foldOptions(text, choice, headRow);
        const sequential = outcome(file, options, true, { at: [], rowByRow: true });
        for (const at of [[size / 2], [size / 3, (2 * size) / 3], [1, size - 2], [size / 4, size / 2, (3 * size) / 4]]) {
          expect(outcome(file, options, true, { at: at.map(Math.floor), runner: 'in-process' })).toEqual(sequential);
        }
      }
    }
    expect((outcome(file, foldOptions(text, 'file', rows), true, { at: [] }) as { verification: { ok: boolean } }).verification.ok).toBe(true);
  });

  it('long stretches Tau wrote (hashed only where a link or the head needs it) match, and so does the chained row after one', () => {
    // With no recorded head, a summary of rows without prev_sha256 stops hashing after its first batch of 64 and
    // reads the run's last row back: the chained row that opens the next range must still find its link.
    const byTau = Array.from({ length: 800 }, (_, index) => index < 300 || index >= 500);
    const lines = chainedLines(Array.from({ length: 800 }, (_, index) => ACTIONS[index % 4] as string), byTau);
    const text = lines.map((line) => `${line}\n`).join('');
    const file = logs.write(text);
    const lineStart = (line: number) => Buffer.byteLength(lines.slice(0, line).map((entry) => `${entry}\n`).join(''));
    // Cuts: inside the first Tau stretch, right before the first chained row, inside the chained stretch,
    // right before the second Tau stretch, inside it.
    const at = [lineStart(150), lineStart(300), lineStart(420), lineStart(500), lineStart(700)].map((offset) => offset - 1);
    for (const choice of ['none', 'missing', 'legacy', 'file'] as const) {
      for (const headRow of [1, 299, 450, 800]) {
        const options = foldOptions(text, choice, headRow);
        const sequential = outcome(file, options, true, { at: [], rowByRow: true });
        expect(outcome(file, options, true, { at, runner: 'in-process' })).toEqual(sequential);
        // Without the actions kept, one cut right before the first chained row.
        expect(outcome(file, options, false, { at: [at[1] as number], runner: 'in-process' })).toEqual(outcome(file, options, false, { at: [], rowByRow: true }));
      }
    }
    const options = foldOptions(text, 'none', 1);
    expect(outcome(file, options, true, { at, runner: 'workers-only', workerPath: BUILT_WORKER })).toEqual(outcome(file, options, true, { at: [], rowByRow: true }));
    expect((outcome(file, options, true, { at }) as { verification: { ok: boolean } }).verification.ok).toBe(true);
  });

  it('a range that opens with more blank lines than a batch holds, or holds nothing else, still matches', () => {
    // A summary takes a range's first row apart from the rest, batch by batch (64 lines each) until it finds one.
    const lines = chainedLines(Array.from({ length: 300 }, (_, index) => ACTIONS[index % ACTIONS.length] as string));
    const blanks = (count: number) => Array.from({ length: count }, (_, index) => (index % 3 === 0 ? '  ' : ''));
    const parts = [lines.slice(0, 100), blanks(70), lines.slice(100, 200), blanks(200), lines.slice(200)];
    const text = parts.flat().map((line) => `${line}\n`).join('');
    const file = logs.write(text);
    const offsetOfLine = (line: number) => Buffer.byteLength(parts.flat().slice(0, line).map((entry) => `${entry}\n`).join(''));
    // Cuts right before each run of blank lines, inside one, and after it (the next range opens on a row).
    const at = [offsetOfLine(100) - 1, offsetOfLine(235) - 1, offsetOfLine(270) - 1, offsetOfLine(300) - 1, offsetOfLine(400) - 1];
    for (const checkChain of [true, false]) {
      const options = checkChain ? foldOptions(text, 'file', 250) : null;
      const sequential = outcome(file, options, true, { at: [], rowByRow: true });
      expect(outcome(file, options, true, { at, runner: 'in-process' })).toEqual(sequential);
      expect(outcome(file, options, true, { at, runner: 'workers-only', workerPath: BUILT_WORKER })).toEqual(sequential);
    }
  });

  it('with worker threads (the built entry) claiming ranges too, damaged and Tau-written logs give the sequential result', () => {
    // A property over real workers: each replay starts one, so fewer runs than the in-process property.
    fc.assert(
      fc.property(logCaseArb, fc.array(cutArb, { minLength: 1, maxLength: 12 }), (log, cuts) => {
        const file = logs.write(log.text);
        const options = foldOptions(log.text, log.headChoice, log.headRow);
        const at = cuts.map((cut) => cutOffset(log.text, cut)).sort((a, b) => a - b);
        const sequential = outcome(file, options, true, { at: [], rowByRow: true });
        // The worker scans every range (this thread only folds), then both share them.
        expect(outcome(file, options, true, { at, runner: 'workers-only', workerPath: BUILT_WORKER })).toEqual(sequential);
        expect(outcome(file, options, true, { at, runner: 'worker', workerPath: BUILT_WORKER })).toEqual(sequential);
        fs.rmSync(file);
      }),
      { numRuns: 25 },
    );
  });

  it('loads no worker_threads module until a replay starts workers (a V8 startup snapshot with it loaded cannot start any)', () => {
    const entry = path.join(import.meta.dirname, '..', 'dist', 'index.js');
    const loaded = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(entry).href)}); console.log(process.moduleLoadList.filter((name) => name.includes('worker_threads')).join(','))`],
      { encoding: 'utf8' },
    );
    expect(loaded.status, loaded.stderr).toBe(0);
    expect(loaded.stdout.trim()).toBe('');
  });

  it('a worker thread (the built entry) claims ranges in turn and posts the same summaries as a scan on this thread', () => {
    const workerPath = BUILT_WORKER;
    expect(fs.existsSync(workerPath), `${workerPath} missing: build @tau/audit-log first`).toBe(true);
    const lines = chainedLines(Array.from({ length: 600 }, (_, index) => ACTIONS[index % ACTIONS.length] as string));
    const text = lines.map((line) => `${line}\n`).join('');
    const file = logs.write(`${text}{"act`);
    const start = Buffer.byteLength(lines.slice(0, 100).map((line) => `${line}\n`).join(''));
    const log = openAuditLogReader(file) as AuditLogReader;
    const other = openAuditLogReader(logs.write(text)) as AuditLogReader;
    try {
      const open = { filePath: file, fd: log.fd, identity: log.identity() };
      const inputs: AuditRangeInput[] = [
        {
          ...open,
          start,
          end: null,
          collectActions: true,
          expectedHeadSha256: rowSha256Hex(Buffer.from(lines[500] as string)),
          expectedHeadByteLength: Buffer.byteLength(lines[500] as string),
          checkChain: true,
        },
        { ...open, start: 0, end: start, collectActions: false, expectedHeadSha256: null, expectedHeadByteLength: null, checkChain: false },
        // Another file under the descriptor than the one the replay opened: no summary.
        { ...open, fd: other.fd, start: 0, end: null, collectActions: true, expectedHeadSha256: null, expectedHeadByteLength: null, checkChain: true },
      ];
      // This thread claims nothing: the worker takes every range, in turn.
      const scans = new AuditRangeScans(inputs, workerPath, 1);
      try {
        inputs.forEach((input, index) => expect(scans.takePosted(index)).toEqual(summarizeAuditRange(input)));
        expect(scans.claim()).toBe(-1);
      } finally {
        scans.close();
      }
      expect(summarizeAuditRange(inputs[0] as AuditRangeInput)).toMatchObject({ stoppedAt: null, run: { rows: 499 } });
      expect(summarizeAuditRange(inputs[2] as AuditRangeInput)).toBeNull();
    } finally {
      log.close();
      other.close();
    }
  });
});
