import { describe, expect, it } from 'vitest';
import { describeLockHolder, printableLockText } from './lock-holder.js';
import { parseLockRecord, type LockRecord } from './lock-record.js';

const record: LockRecord = {
  pid: 4242,
  host: 'alpha',
  since_unix_ms: 1_700_000_000_000,
  command: 'resume',
  token: 'abc',
  boot_id: 'boot-1',
  pid_namespace: 4_026_531_836,
  start_time_ticks: 123_456,
};

describe('parseLockRecord', () => {
  it('reads a complete record, and one written by an older tau-po (no namespace, no start time)', () => {
    expect(parseLockRecord(JSON.stringify(record))).toEqual(record);
    const { pid_namespace: _ns, start_time_ticks: _start, ...older } = record;
    expect(parseLockRecord(JSON.stringify(older))).toEqual(older);
  });

  it.each([
    '',
    '{"pid":42',
    'null',
    '[]',
    '{"pid":0,"host":"a","since_unix_ms":1,"command":"c","token":"t"}',
    '{"pid":1,"host":"a","since_unix_ms":1,"command":"c"}',
    '{"pid":1,"host":"a","since_unix_ms":1,"command":"c","token":"t","pid_namespace":"4026531836"}',
    '{"pid":1,"host":"a","since_unix_ms":1,"command":"c","token":"t","start_time_ticks":-1}',
    '{"pid":1,"host":"a","since_unix_ms":1,"command":"c","token":"t","start_time_ticks":1.5}',
    '{"pid":1,"host":"a","since_unix_ms":1,"command":"c","token":"t","boot_id":7}',
  ])('treats %j as incomplete', (text) => {
    expect(parseLockRecord(text)).toBeUndefined();
  });
});

describe('describeLockHolder', () => {
  it('describes complete and incomplete lock files with the verdict and the age', () => {
    expect(describeLockHolder(record, 5, { verdict: 'stale', reason: 'pid-gone' }, record.since_unix_ms + 1500)).toEqual({
      pid: 4242,
      host: 'alpha',
      since_unix_ms: 1_700_000_000_000,
      age_ms: 1500,
      command: 'resume',
      boot_id: 'boot-1',
      pid_namespace: 4_026_531_836,
      start_time_ticks: 123_456,
      verdict: 'stale',
      reason: 'pid-gone',
      explanation: 'its process no longer exists on this host',
      stale: true,
      complete: true,
    });
    expect(describeLockHolder(undefined, 5, { verdict: 'unknown', reason: 'incomplete-file-fresh' }, 10)).toMatchObject({
      pid: null,
      host: null,
      since_unix_ms: 5,
      age_ms: 5,
      command: null,
      verdict: 'unknown',
      stale: false,
      complete: false,
    });
  });
});

describe('printableLockText', () => {
  it('escapes control characters from a hostile record, and nothing else', () => {
    expect(printableLockText('trainer-2 ünï')).toBe('trainer-2 ünï');
    expect(printableLockText('h\u001b[2J\nx\u007f')).toBe('h\\u{1b}[2J\\nx\\u{7f}');
  });
});
