import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendChainedAuditRow } from './append-audit-row.js';
import { auditLogChangeStamp, auditLogEndsAtHead, type RecordedAuditHead } from './audit-log-ends-at-head.js';
import { controlRow, tauRowLine } from './test-support/audit-row-examples.js';

let dir: string;
let log: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-audit-ends-at-head-'));
  log = path.join(dir, 'control-audit.jsonl');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Three chained rows, then the head as our head file records it (stamp taken right after the last append). */
function committedLog(): RecordedAuditHead {
  let head = { row_count: 0, last_row_sha256: null as string | null };
  let appended = appendChainedAuditRow(log, controlRow('pause', 1), head);
  head = appended.head;
  appended = appendChainedAuditRow(log, controlRow('resume', 2), head);
  appended = appendChainedAuditRow(log, controlRow('cancel', 3), appended.head);
  return {
    row_count: appended.head.row_count,
    last_row_offset: appended.offset,
    end_offset: appended.offset + appended.byteLength + 1,
    last_row_sha256: appended.head.last_row_sha256,
    log_change: auditLogChangeStamp(log) ?? undefined,
  };
}

/** Swaps two bytes of equal lines, keeping size and last row: only the stamp can tell. */
function swapFirstTwoRowsKeepingSize(): void {
  const lines = fs.readFileSync(log, 'utf8').split('\n');
  const [a, b, ...rest] = lines;
  fs.writeFileSync(log, [b, a, ...rest].join('\n'));
}

describe('auditLogEndsAtHead', () => {
  it('holds for the log as committed', () => {
    expect(auditLogEndsAtHead(log, committedLog())).toBe(true);
  });

  it('holds for an empty head and an empty or missing log only without rows', () => {
    fs.writeFileSync(log, '');
    const stamp = auditLogChangeStamp(log) ?? undefined;
    expect(auditLogEndsAtHead(log, { row_count: 0, last_row_offset: 0, end_offset: 0, last_row_sha256: null, log_change: stamp })).toBe(true);
    fs.rmSync(log);
    expect(auditLogEndsAtHead(log, { row_count: 0, last_row_offset: 0, end_offset: 0, last_row_sha256: null, log_change: stamp })).toBe(false);
  });

  // Every way the log can differ from what we committed: each must send the caller to the full replay.
  it.each<[string, (head: RecordedAuditHead) => RecordedAuditHead | void]>([
    ['a row appended by Tau', () => fs.appendFileSync(log, tauRowLine('pause', 4))],
    ['a torn tail', () => fs.appendFileSync(log, '{"action":"pa')],
    ['the last row edited (same length)', () => {
      const text = fs.readFileSync(log, 'utf8');
      fs.writeFileSync(log, text.replace(/"timestamp_unix_ms":3(?=[^\n]*\n$)/, '"timestamp_unix_ms":9'));
    }],
    ['rows reordered (same size, same last row)', swapFirstTwoRowsKeepingSize],
    ['the same bytes written back (ctime moves)', () => fs.writeFileSync(log, fs.readFileSync(log))],
    ['a permission change', () => fs.chmodSync(log, 0o600)],
    ['the file replaced by a copy', () => {
      fs.copyFileSync(log, `${log}.copy`);
      fs.renameSync(`${log}.copy`, log);
    }],
    ['the file truncated', () => fs.truncateSync(log, 10)],
    ['the file removed', () => fs.rmSync(log)],
    ['a symlink to the real file', () => {
      fs.renameSync(log, `${log}.real`);
      fs.symlinkSync(`${log}.real`, log);
    }],
    ['no stamp recorded (a head file of an older version)', (head) => ({ ...head, log_change: undefined })],
    ['a head pointing one row earlier', (head) => ({ ...head, row_count: head.row_count - 1, end_offset: head.last_row_offset })],
    ['a head with another hash', (head) => ({ ...head, last_row_sha256: '0'.repeat(64) })],
  ])('%s: false', async (_name, change) => {
    const head = committedLog();
    // The kernel stamps ctime from a clock that ticks every few ms: make sure it has moved.
    await new Promise((resolve) => setTimeout(resolve, 25));
    const changed = change(head) ?? head;
    expect(auditLogEndsAtHead(log, changed)).toBe(false);
  });
});
