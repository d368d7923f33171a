import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { quarantineNameFor, repairTornTail } from './repair-torn-tail.js';
import { replayAuditLog } from './replay-audit-log.js';
import { tauRowLine } from './test-support/audit-row-examples.js';

let dir: string;
let log: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-audit-repair-'));
  log = path.join(dir, 'control-audit.jsonl');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const complete = tauRowLine('pause', 1) + tauRowLine('resume', 2);
const torn = '{"schema_version":1,"timestamp_unix_ms":3,"princ';

function quarantines(): string[] {
  return fs.readdirSync(dir).filter((name) => name.startsWith('control-audit.jsonl.torn-'));
}

describe('repairTornTail', () => {
  it('moves the torn bytes to <log>.torn-<unix_ms> and truncates the log to its last complete row', () => {
    fs.writeFileSync(log, complete + torn);
    const repair = repairTornTail(log, () => 1_767_225_600_123);
    expect(repair).toEqual({
      quarantine_path: `${log}.torn-1767225600123`,
      byte_length: torn.length,
      offset: complete.length,
      reused_quarantine: false,
    });
    expect(fs.readFileSync(log, 'utf8')).toBe(complete);
    expect(fs.readFileSync(`${log}.torn-1767225600123`, 'utf8')).toBe(torn);
    expect(replayAuditLog(log).torn_tail).toBeNull();
  });

  it('does nothing for a clean, empty or missing log', () => {
    fs.writeFileSync(log, complete);
    expect(repairTornTail(log)).toBeNull();
    fs.writeFileSync(log, '');
    expect(repairTornTail(log)).toBeNull();
    expect(repairTornTail(path.join(dir, 'missing.jsonl'))).toBeNull();
    expect(quarantines()).toEqual([]);
  });

  it('repairs a log that is only a torn line', () => {
    fs.writeFileSync(log, torn);
    expect(repairTornTail(log, () => 5)?.offset).toBe(0);
    expect(fs.readFileSync(log, 'utf8')).toBe('');
  });

  it('never touches a malformed terminated line', () => {
    fs.writeFileSync(log, `${complete}{not json}\n`);
    expect(repairTornTail(log)).toBeNull();
    expect(fs.readFileSync(log, 'utf8')).toBe(`${complete}{not json}\n`);
  });

  it('after an interrupted repair (quarantine written, log not truncated) reuses the quarantine instead of duplicating it', () => {
    fs.writeFileSync(log, complete + torn);
    fs.writeFileSync(`${log}.torn-100`, torn);
    const repair = repairTornTail(log, () => 200);
    expect(repair).toMatchObject({ quarantine_path: `${log}.torn-100`, reused_quarantine: true });
    expect(quarantines()).toEqual(['control-audit.jsonl.torn-100']);
    expect(fs.readFileSync(log, 'utf8')).toBe(complete);
  });

  it('never overwrites an earlier quarantine with other bytes, even in the same millisecond', () => {
    fs.writeFileSync(`${log}.torn-100`, 'older torn bytes');
    fs.writeFileSync(log, complete + torn);
    expect(repairTornTail(log, () => 100)?.quarantine_path).toBe(`${log}.torn-101`);
    expect(fs.readFileSync(`${log}.torn-100`, 'utf8')).toBe('older torn bytes');
  });

  it('quarantineNameFor moves on past taken names', () => {
    expect(quarantineNameFor('a.jsonl', 7, new Set(['a.jsonl.torn-7', 'a.jsonl.torn-8']))).toBe('a.jsonl.torn-9');
    expect(quarantineNameFor('a.jsonl', 7, new Set())).toBe('a.jsonl.torn-7');
  });
});
