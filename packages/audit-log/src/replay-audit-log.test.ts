import fc from 'fast-check';
import { formatErrorChain } from '@tau/schemas';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLineParseError, AuditLogReadError } from './audit-log-errors.js';
import type { AuditReplay } from './audit-replay-fold.js';
import { replayAuditLog } from './replay-audit-log.js';
import { rowSha256Hex } from './row-hash.js';
import { auditLogArb } from './test-support/audit-line-arbitraries.js';
import { replayAuditLogSimply } from './test-support/replay-audit-log-simply.js';

let dir: string;
let counter = 0;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-audit-replay-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function logWith(content: string | Buffer): string {
  counter += 1;
  const file = path.join(dir, `control-audit-${counter}.jsonl`);
  fs.writeFileSync(file, content);
  return file;
}

function row(action: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ schema_version: 1, action, ...extra });
}

function failureOf(file: string): { line: number; chain: string } {
  try {
    replayAuditLog(file);
  } catch (error) {
    expect(error).toBeInstanceOf(AuditLineParseError);
    return { line: (error as AuditLineParseError).line, chain: formatErrorChain(error) };
  }
  throw new Error('expected replay to fail');
}

const EMPTY_HEAD = { row_count: 0, last_row_sha256: null };

describe('replayAuditLog', () => {
  it('replays a missing log, a 0-byte log and a log of blank lines as empty', () => {
    for (const file of [path.join(dir, 'missing.jsonl'), logWith(''), logWith('\n  \n\t\r\n\u00a0\n')]) {
      const replay = replayAuditLog(file);
      expect(replay).toMatchObject({ event_count: 0, torn_tail: null, head: EMPTY_HEAD });
      expect(replay.replayed_actions?.toJSON()).toEqual([]);
      expect(replay.implied_lifecycle_state).toBeNull();
    }
  });

  it('produces the recovery metadata of a log', () => {
    const lines = [
      row('pause', { timestamp_unix_ms: 1000, principal: 'local:alice', lifecycle_state: 'paused', idempotent: false }),
      '',
      row('resume', { timestamp_unix_ms: 900, principal: 'local:bob', lifecycle_state: 'running' }),
      row('status', { timestamp_unix_ms: 2000, principal: 'local:alice' }),
      row('rollback', { timestamp_unix_ms: 3000, principal: 'ci:bot', rollback_checkpoint: '/ck.json' }),
      row('pause', { principal: 'local:bob', lifecycle_state: 'running' }),
      row('weird-action'),
    ];
    const file = logWith(`${lines.join('\n')}\n`);
    const replay = replayAuditLog(file);
    expect({ ...replay, replayed_actions: replay.replayed_actions?.toJSON() }).toEqual({
      replayed_actions: ['pause', 'resume', 'status', 'rollback', 'pause', 'weird-action'],
      event_count: 6,
      action_counts: { pause: 2, resume: 1, status: 1, rollback: 1, 'weird-action': 1 },
      // The last mutating row (line 6) says running although it is a pause: its recorded state wins, with a warning.
      implied_lifecycle_state: 'running',
      // offset: the byte where line 6 starts (every line before it and its newline).
      last_mutating_row: { line: 6, offset: lines.slice(0, 5).reduce((sum, l) => sum + Buffer.byteLength(l) + 1, 0), row: JSON.parse(lines[5] as string) },
      first_timestamp_ms: 1000,
      last_timestamp_ms: 3000,
      principals: ['local:alice', 'local:bob', 'ci:bot'],
      warnings: [
        'audit line 3: timestamp_unix_ms 900 is earlier than 1000 at line 1',
        'audit line 6: lifecycle_state running does not follow from action pause (expected paused)',
      ],
      torn_tail: null,
      head: { row_count: 6, last_row_sha256: rowSha256Hex(Buffer.from(lines[6] as string)) },
    });
  });

  it('derives the lifecycle from the action when the row does not record one', () => {
    const file = logWith(`${row('pause', { lifecycle_state: 'paused' })}\n${row('rollback')}\n${row('status')}\n`);
    expect(replayAuditLog(file).implied_lifecycle_state).toBe('rollback_requested');
  });

  it('reports a torn final line instead of failing, and leaves it out of the rows and the head', () => {
    const good = row('pause');
    const file = logWith(`${good}\n\n{"schema_version":1,"act`);
    const replay = replayAuditLog(file);
    expect(replay.torn_tail).toEqual({ line: 3, offset: good.length + 2, byte_length: 24 });
    expect(replay.event_count).toBe(1);
    expect(replay.head).toEqual({ row_count: 1, last_row_sha256: rowSha256Hex(Buffer.from(good)) });
  });

  it('treats even a complete row without its newline as torn (it was never committed)', () => {
    const file = logWith(`${row('pause')}\n${row('resume')}`);
    expect(replayAuditLog(file)).toMatchObject({ event_count: 1, torn_tail: { line: 2 } });
  });

  it('fails on a malformed terminated line with its 1-based line number, blank lines counted', () => {
    const file = logWith(`${row('pause')}\n\n[${row('resume')}]\n${row('cancel')}\n`);
    expect(failureOf(file)).toEqual({
      line: 3,
      chain: `failed to parse training control audit line 3 from '${file}': row is not a JSON object (found an array)`,
    });
  });

  it('fails on a malformed line even when a torn tail follows', () => {
    expect(failureOf(logWith(`${row('pause')}\n{oops}\n{"act`)).line).toBe(2);
  });

  it('accepts CRLF line endings and hashes rows without the \\r', () => {
    const lf = logWith(`${row('pause')}\n${row('resume')}\n`);
    const crlf = logWith(`${row('pause')}\r\n\r\n${row('resume')}\r\n`);
    const crlfReplay = replayAuditLog(crlf);
    expect(crlfReplay.replayed_actions?.toJSON()).toEqual(['pause', 'resume']);
    expect(crlfReplay.head).toEqual(replayAuditLog(lf).head);
  });

  it('fails on a byte order mark at the start of the log with a clear cause (as Tau does)', () => {
    const file = logWith(`\uFEFF${row('pause')}\n`);
    expect(failureOf(file).chain).toBe(
      `failed to parse training control audit line 1 from '${file}': line starts with a UTF-8 byte order mark (Tau rejects it too; remove the 3 bytes)`,
    );
  });

  it('fails on invalid UTF-8 with the line number', () => {
    const file = logWith(Buffer.concat([Buffer.from(`${row('pause')}\n{"action":"pa`), Buffer.from([0xff]), Buffer.from('use"}\n')]));
    expect(failureOf(file)).toEqual({
      line: 2,
      chain: `failed to parse training control audit line 2 from '${file}': line is not valid UTF-8`,
    });
  });

  it('fails on an integer beyond 2^53-1 rather than rounding it', () => {
    const file = logWith(`{"action":"pause","timestamp_unix_ms":18446744073709551615}\n`);
    expect(failureOf(file).chain).toMatch(/line 1 .*integer 18446744073709551615 exceeds 2\^53-1/);
  });

  it('fails on a duplicate action key, as serde does', () => {
    expect(failureOf(logWith('{"action":"pause","action":"resume"}\n')).chain).toMatch(
      /^failed to parse training control audit line 1 from '.*': duplicate key "action" at line 1, column 19$/,
    );
    expect(failureOf(logWith('{"action":"pause","principal":"a","principal":"b"}\n')).chain).toMatch(
      /^failed to parse training control audit line 1 from '.*': duplicate key "principal" at line 1, column 35$/,
    );
  });

  it('replays a 10 MB single row', () => {
    const big = JSON.stringify({ action: 'pause', principal: 'local:alice', payload: 'x'.repeat(10 * 1024 * 1024) });
    const file = logWith(`${big}\n${row('resume')}\n`);
    const replay = replayAuditLog(file);
    expect(replay.replayed_actions?.toJSON()).toEqual(['pause', 'resume']);
    expect(replay.principals).toEqual(['local:alice']);
  });

  it('fails with the path when the log cannot be read', () => {
    const notAFile = fs.mkdtempSync(path.join(dir, 'dir-'));
    expect(() => replayAuditLog(notAFile)).toThrow(new AuditLogReadError(notAFile, { cause: undefined }).message);
  });

  it('is deterministic: the same bytes give the same result', () => {
    const file = logWith(`${row('pause', { timestamp_unix_ms: 5, principal: 'p' })}\n${row('resume', { timestamp_unix_ms: 4 })}\n{"x`);
    expect(JSON.stringify(replayAuditLog(file))).toBe(JSON.stringify(replayAuditLog(file)));
  });

  it('lists at most 100 warnings and counts the rest', () => {
    const lines = Array.from({ length: 150 }, (_, i) => row('status', { timestamp_unix_ms: 1000 - i }));
    const warnings = replayAuditLog(logWith(`${lines.join('\n')}\n`)).warnings;
    expect(warnings).toHaveLength(101);
    expect(warnings[100]).toBe('49 more warnings not listed');
  });

  it('with collectActions: false keeps no actions and gives everything else unchanged', () => {
    const lines = [row('pause', { timestamp_unix_ms: 1, principal: 'p' }), row('resume'), row('weird\taction'), '{"x'];
    const file = logWith(lines.join('\n'));
    const full = replayAuditLog(file);
    expect(full.replayed_actions?.toJSON()).toEqual(['pause', 'resume', 'weird\taction']);
    const counted = replayAuditLog(file, { collectActions: false });
    expect(counted).toEqual({ ...full, replayed_actions: null });
    expect(counted.event_count).toBe(3);
    expect(counted.head.row_count).toBe(3);
  });

  it('property: the fast path gives exactly the simple path result, or fails on the same line with the same cause', () => {
    fc.assert(
      fc.property(auditLogArb, ({ bytes }) => {
        const file = logWith(bytes);
        const outcome = (replay: (file: string) => AuditReplay) => {
          try {
            // The actions as the list they hold (the compact list's inner caches depend on how it was filled).
            const result = replay(file);
            return { result: { ...result, replayed_actions: result.replayed_actions?.toJSON() ?? null } };
          } catch (error) {
            return { line: (error as AuditLineParseError).line, chain: formatErrorChain(error) };
          }
        };
        const simple = outcome(replayAuditLogSimply);
        expect(outcome(replayAuditLog)).toEqual(simple);
        // Without the actions: the same failure, or the same result less the list.
        const counted = outcome((log) => replayAuditLog(log, { collectActions: false }));
        expect(counted).toEqual('result' in simple ? { result: { ...simple.result, replayed_actions: null } } : simple);
        fs.rmSync(file);
      }),
      { numRuns: 400 },
    );
  });
});
