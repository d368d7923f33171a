import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatErrorChain } from '@tau/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAuditRow } from './append-audit-row.js';
import { verifyAuditChain } from './verify-audit-chain.js';
import { replayAuditLog } from './replay-audit-log.js';
import { rowSha256Hex } from './row-hash.js';
import { controlRow, tauRowLine } from './test-support/audit-row-examples.js';

let dir: string;
let log: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-audit-append-'));
  log = path.join(dir, 'control-audit.jsonl');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function chainOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return formatErrorChain(error);
  }
  throw new Error('expected a failure');
}

function rowsOf(file: string): Record<string, unknown>[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('appendAuditRow', () => {
  it('creates the log; the first row has no prev_sha256, later rows chain to the previous line', () => {
    let head = appendAuditRow(log, controlRow('pause', 1), { row_count: 0, last_row_sha256: null });
    head = appendAuditRow(log, controlRow('resume', 2), head);
    const lines = fs.readFileSync(log, 'utf8').split('\n');
    const rows = rowsOf(log);
    expect(rows[0]).not.toHaveProperty('prev_sha256');
    expect(rows[1]?.prev_sha256).toBe(rowSha256Hex(Buffer.from(lines[0] as string)));
    expect(head).toEqual({ row_count: 2, last_row_sha256: rowSha256Hex(Buffer.from(lines[1] as string)) });
    expect(head).toEqual(replayAuditLog(log).head);
  });

  it("writes Tau's keys in Tau's order, then prev_sha256, os_user and host", () => {
    appendAuditRow(log, controlRow('pause', 1), { row_count: 0, last_row_sha256: null });
    const head = replayAuditLog(log).head;
    appendAuditRow(log, controlRow('cancel', 2), head);
    const second = rowsOf(log)[1] as Record<string, unknown>;
    expect(Object.keys(second)).toEqual([
      'schema_version',
      'timestamp_unix_ms',
      'principal',
      'action',
      'action_key',
      'lifecycle_state',
      'idempotent',
      'rollback_checkpoint',
      'recovery_checkpoint_source',
      'prev_sha256',
      'os_user',
      'host',
    ]);
    expect(second.os_user).toBe(os.userInfo().username);
    expect(second.host).toBe(os.hostname());
  });

  it('keeps a given os_user and host, and replaces a stale prev_sha256 with the head', () => {
    const prev = 'a'.repeat(64);
    appendAuditRow(log, controlRow('pause', 1, { os_user: 'svc', host: 'h1', prev_sha256: 'b'.repeat(64) }), {
      row_count: 4,
      last_row_sha256: prev,
    });
    expect(rowsOf(log)[0]).toMatchObject({ os_user: 'svc', host: 'h1', prev_sha256: prev });
  });

  it('chains onto rows Tau wrote (Tau rows stay unchained, ours link to them)', () => {
    fs.writeFileSync(log, tauRowLine('pause', 1) + tauRowLine('resume', 2));
    appendAuditRow(log, controlRow('cancel', 3), replayAuditLog(log).head);
    const lines = fs.readFileSync(log, 'utf8').split('\n');
    expect(rowsOf(log)[2]?.prev_sha256).toBe(rowSha256Hex(Buffer.from(lines[1] as string)));
  });

  it('refuses to append after a torn tail and leaves the file untouched', () => {
    fs.writeFileSync(log, `${tauRowLine('pause', 1)}{"schema_ver`);
    const before = fs.readFileSync(log);
    expect(chainOf(() => appendAuditRow(log, controlRow('resume', 2), replayAuditLog(log).head))).toBe(
      `failed to append training control audit row to '${log}': the log ends with an unterminated line of 12 bytes (a torn write); repair the torn tail first`,
    );
    expect(fs.readFileSync(log)).toEqual(before);
  });

  it('refuses an invalid row (the schema check of the serializer) and writes nothing', () => {
    const bad = { ...controlRow('pause', 1), timestamp_unix_ms: -1 };
    expect(() => appendAuditRow(log, bad, { row_count: 0, last_row_sha256: null })).toThrow(/failed to append/);
    expect(fs.existsSync(log)).toBe(false);
  });
});

describe('appendAuditRow with an operator act', () => {
  it('chains an operator act like a lifecycle row: replay reads it, the chain verifies, the lifecycle is unchanged', () => {
    let head = appendAuditRow(log, controlRow('pause', 1), { row_count: 0, last_row_sha256: null });
    head = appendAuditRow(
      log,
      {
        schema_version: 1,
        timestamp_unix_ms: 2,
        principal: 'local:rl-operator',
        action: 'lock_break',
        action_key: 'control:rl:resume',
        lifecycle_state: 'paused',
        idempotent: false,
        rollback_checkpoint: null,
        recovery_checkpoint_source: null,
        broken_lock: { pid: 7, host: 'beta' },
      },
      head,
    );
    const [first, second] = rowsOf(log);
    expect(second).toMatchObject({ action: 'lock_break', broken_lock: { pid: 7, host: 'beta' } });
    expect(second?.prev_sha256).toBe(rowSha256Hex(Buffer.from(JSON.stringify(first), 'utf8')));
    const replay = replayAuditLog(log);
    expect(replay.head).toEqual(head);
    expect(replay.implied_lifecycle_state).toBe('paused');
    expect(verifyAuditChain(log, head).ok).toBe(true);
  });
});
