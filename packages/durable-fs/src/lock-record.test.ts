import { describe, expect, it } from 'vitest';
import { describeLockHolder, isLockStale, parseLockRecord, type LockObserver, type LockRecord } from './lock-record.js';

const record: LockRecord = {
  pid: 4242,
  host: 'alpha',
  since_unix_ms: 1_700_000_000_000,
  command: 'resume',
  token: 'abc',
  boot_id: 'boot-1',
};

function observer(overrides: Partial<LockObserver> = {}): LockObserver {
  return { host: 'alpha', bootId: 'boot-1', isProcessAlive: () => true, ...overrides };
}

describe('parseLockRecord', () => {
  it('reads a complete record', () => {
    expect(parseLockRecord(JSON.stringify(record))).toEqual(record);
  });

  it.each(['', '{"pid":42', 'null', '[]', '{"pid":0,"host":"a","since_unix_ms":1,"command":"c","token":"t"}',
    '{"pid":1,"host":"a","since_unix_ms":1,"command":"c"}'])('treats %j as incomplete', (text) => {
    expect(parseLockRecord(text)).toBeUndefined();
  });
});

describe('isLockStale', () => {
  it('keeps a live holder on this host', () => {
    expect(isLockStale(record, 60_000, observer())).toBe(false);
  });

  it('breaks a holder whose pid is gone, regardless of age', () => {
    expect(isLockStale(record, 0, observer({ isProcessAlive: () => false }))).toBe(true);
  });

  it('breaks a holder from an earlier boot even if its pid was reused', () => {
    expect(isLockStale(record, 0, observer({ bootId: 'boot-2' }))).toBe(true);
  });

  it('never breaks a lock of another host', () => {
    expect(isLockStale(record, 10 ** 9, observer({ host: 'beta', isProcessAlive: () => false }))).toBe(false);
  });

  it('gives an incomplete lock file a grace period', () => {
    expect(isLockStale(undefined, 100, observer())).toBe(false);
    expect(isLockStale(undefined, 2_500, observer())).toBe(true);
  });
});

describe('describeLockHolder', () => {
  it('describes complete and incomplete lock files', () => {
    expect(describeLockHolder(record, 5, true)).toEqual({
      pid: 4242, host: 'alpha', since_unix_ms: 1_700_000_000_000, command: 'resume', stale: true, complete: true,
    });
    expect(describeLockHolder(undefined, 5, false)).toEqual({
      pid: null, host: null, since_unix_ms: 5, command: null, stale: false, complete: false,
    });
  });
});
