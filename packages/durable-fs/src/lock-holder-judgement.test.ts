import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  judgeLockHolder,
  LOCK_JUDGEMENT_REASONS,
  type HolderProcessProbe,
  type LockJudgement,
  type LockObserver,
} from './lock-holder-judgement.js';
import { INCOMPLETE_LOCK_GRACE_MS, type LockRecord } from './lock-record.js';

const NS = 4_026_531_836;
const START = 90_000;

const record: LockRecord = {
  pid: 4242,
  host: 'alpha',
  since_unix_ms: 1_700_000_000_000,
  command: 'resume',
  token: 'abc',
  boot_id: 'boot-1',
  pid_namespace: NS,
  start_time_ticks: START,
};

const running: HolderProcessProbe = { state: 'present', startTimeTicks: START };
const reused: HolderProcessProbe = { state: 'present', startTimeTicks: START + 1 };
const unreadable: HolderProcessProbe = { state: 'present', startTimeTicks: undefined };
const absent: HolderProcessProbe = { state: 'absent' };

const observer: LockObserver = { host: 'alpha', bootId: 'boot-1', pidNamespace: NS, fileAgeMs: 60_000, holderProcess: running };

function without(field: 'boot_id' | 'pid_namespace' | 'start_time_ticks'): LockRecord {
  const copy: Record<string, unknown> = { ...record };
  delete copy[field];
  return copy as unknown as LockRecord;
}

type Row = [string, LockRecord | undefined, Partial<LockObserver>, LockJudgement];

// Every reason, and every fact that can decide it, with the facts that must not change it.
const TABLE: Row[] = [
  ['live holder, same boot, namespace and start time', record, {}, { verdict: 'alive', reason: 'holder-running' }],
  ['live holder, however old the lock', record, { fileAgeMs: 10 ** 9 }, { verdict: 'alive', reason: 'holder-running' }],
  ['pid gone', record, { holderProcess: absent }, { verdict: 'stale', reason: 'pid-gone' }],
  ['pid gone, lock just taken', record, { holderProcess: absent, fileAgeMs: 0 }, { verdict: 'stale', reason: 'pid-gone' }],
  ['pid reused by a later process', record, { holderProcess: reused }, { verdict: 'stale', reason: 'pid-reused' }],
  ['pid present, start time unreadable', record, { holderProcess: unreadable }, { verdict: 'unknown', reason: 'missing-facts' }],
  ['earlier boot, pid alive now', record, { bootId: 'boot-2' }, { verdict: 'stale', reason: 'other-boot' }],
  ['earlier boot, other namespace', record, { bootId: 'boot-2', pidNamespace: NS + 1 }, { verdict: 'stale', reason: 'other-boot' }],
  ['earlier boot, older record without namespace', without('pid_namespace'), { bootId: 'boot-2' }, { verdict: 'stale', reason: 'other-boot' }],
  ['other host, pid gone here', record, { host: 'beta', holderProcess: absent }, { verdict: 'unknown', reason: 'other-host' }],
  ['other host, other boot', record, { host: 'beta', bootId: 'boot-2' }, { verdict: 'unknown', reason: 'other-host' }],
  ['other namespace, pid gone here', record, { pidNamespace: NS + 1, holderProcess: absent }, { verdict: 'unknown', reason: 'other-pid-namespace' }],
  ['other namespace, pid reused here', record, { pidNamespace: NS + 1, holderProcess: reused }, { verdict: 'unknown', reason: 'other-pid-namespace' }],
  ['observer namespace unknown, pid gone', record, { pidNamespace: undefined, holderProcess: absent }, { verdict: 'unknown', reason: 'missing-facts' }],
  ['observer boot id unknown, pid gone', record, { bootId: undefined, holderProcess: absent }, { verdict: 'unknown', reason: 'missing-facts' }],
  ['older record without namespace, pid gone', without('pid_namespace'), { holderProcess: absent }, { verdict: 'unknown', reason: 'missing-facts' }],
  ['older record without start time, pid gone', without('start_time_ticks'), { holderProcess: absent }, { verdict: 'unknown', reason: 'missing-facts' }],
  ['older record without boot id, pid gone', without('boot_id'), { holderProcess: absent }, { verdict: 'unknown', reason: 'missing-facts' }],
  ['incomplete file within grace', undefined, { fileAgeMs: INCOMPLETE_LOCK_GRACE_MS }, { verdict: 'unknown', reason: 'incomplete-file-fresh' }],
  ['incomplete file past grace', undefined, { fileAgeMs: INCOMPLETE_LOCK_GRACE_MS + 1 }, { verdict: 'stale', reason: 'incomplete-file-expired' }],
];

describe('judgeLockHolder', () => {
  it.each(TABLE)('%s', (_name, lock, overrides, expected) => {
    expect(judgeLockHolder(lock, { ...observer, ...overrides })).toEqual(expected);
  });

  it('the table reaches every reason', () => {
    expect(new Set(TABLE.map((row) => row[3].reason))).toEqual(new Set(LOCK_JUDGEMENT_REASONS));
  });

  it('every combination of the facts: stale exactly when provably gone, alive exactly when provably the holder', () => {
    const hosts = ['alpha', 'beta'];
    const boots = ['boot-1', 'boot-2', undefined];
    const namespaces = [NS, NS + 1, undefined];
    const starts = [START, START + 1, undefined];
    const probes = [absent, running, reused, unreadable];
    const ages = [0, INCOMPLETE_LOCK_GRACE_MS, INCOMPLETE_LOCK_GRACE_MS + 1];
    let combinations = 0;
    for (const complete of [true, false])
      for (const recordHost of hosts)
        for (const recordBoot of boots)
          for (const recordNs of namespaces)
            for (const recordStart of starts)
              for (const observerBoot of boots)
                for (const observerNs of namespaces)
                  for (const probe of probes)
                    for (const fileAgeMs of ages) {
                      combinations += 1;
                      const lock = complete
                        ? { ...record, host: recordHost, boot_id: recordBoot, pid_namespace: recordNs, start_time_ticks: recordStart }
                        : undefined;
                      const seen: LockObserver = { host: 'alpha', bootId: observerBoot, pidNamespace: observerNs, fileAgeMs, holderProcess: probe };
                      // The specification, stated as facts rather than as the function's steps.
                      const sameHost = recordHost === 'alpha';
                      const bothBoots = recordBoot !== undefined && observerBoot !== undefined;
                      const sameNamespace = recordNs !== undefined && observerNs !== undefined && recordNs === observerNs;
                      const pidChecksHold = sameHost && bothBoots && recordBoot === observerBoot && sameNamespace && recordStart !== undefined;
                      const probedStart = probe.state === 'present' ? probe.startTimeTicks : undefined;
                      const provablyGone = complete
                        ? (sameHost && bothBoots && recordBoot !== observerBoot) ||
                          (pidChecksHold && (probe.state === 'absent' || (probedStart !== undefined && probedStart !== recordStart)))
                        : fileAgeMs > INCOMPLETE_LOCK_GRACE_MS;
                      const provablyHolder = complete && pidChecksHold && probedStart === recordStart;
                      const expected = provablyGone ? 'stale' : provablyHolder ? 'alive' : 'unknown';
                      expect(judgeLockHolder(lock as LockRecord | undefined, seen).verdict).toBe(expected);
                    }
    expect(combinations).toBe(2 * 2 * 3 * 3 * 3 * 3 * 3 * 4 * 3);
  });

  // Every combination of the facts, drawn from small domains so that
  // equal and different values both occur often.
  const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  const facts = fc.record({
    complete: fc.boolean(),
    recordHost: fc.constantFrom('alpha', 'beta'),
    recordBoot: optional(fc.constantFrom('boot-1', 'boot-2')),
    recordNs: optional(fc.constantFrom(NS, NS + 1)),
    recordStart: optional(fc.constantFrom(START, START + 1)),
    observerBoot: optional(fc.constantFrom('boot-1', 'boot-2')),
    observerNs: optional(fc.constantFrom(NS, NS + 1)),
    probe: fc.constantFrom<HolderProcessProbe>(absent, running, reused, unreadable),
    fileAgeMs: fc.integer({ min: 0, max: 10 * INCOMPLETE_LOCK_GRACE_MS }),
  });

  it('never judges stale what is not provably gone', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const lock: LockRecord | undefined = f.complete
          ? {
              ...record,
              host: f.recordHost,
              ...(f.recordBoot === undefined ? { boot_id: undefined } : { boot_id: f.recordBoot }),
              ...(f.recordNs === undefined ? { pid_namespace: undefined } : { pid_namespace: f.recordNs }),
              ...(f.recordStart === undefined ? { start_time_ticks: undefined } : { start_time_ticks: f.recordStart }),
            }
          : undefined;
        const seen: LockObserver = {
          host: 'alpha',
          bootId: f.observerBoot,
          pidNamespace: f.observerNs,
          fileAgeMs: f.fileAgeMs,
          holderProcess: f.probe,
        };
        const judgement = judgeLockHolder(lock, seen);
        if (judgement.verdict !== 'stale') return;
        if (lock === undefined) {
          expect(f.fileAgeMs).toBeGreaterThan(INCOMPLETE_LOCK_GRACE_MS);
          return;
        }
        // Stale needs this host, and either another boot (both known) or,
        // in the same namespace (both known), the pid gone or reused.
        expect(lock.host).toBe(seen.host);
        const otherBoot = lock.boot_id !== undefined && seen.bootId !== undefined && lock.boot_id !== seen.bootId;
        if (otherBoot) return;
        expect(lock.boot_id).toBe(seen.bootId);
        expect(seen.pidNamespace).toBeDefined();
        expect(lock.pid_namespace).toBe(seen.pidNamespace);
        expect(lock.start_time_ticks).toBeDefined();
        const probe = seen.holderProcess;
        const gone = probe.state === 'absent' || (probe.startTimeTicks !== undefined && probe.startTimeTicks !== lock.start_time_ticks);
        expect(gone).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('judges alive only the very process that took the lock', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const lock: LockRecord = { ...record, host: f.recordHost, start_time_ticks: f.recordStart ?? START };
        const judgement = judgeLockHolder(lock, { ...observer, holderProcess: f.probe, pidNamespace: f.observerNs });
        if (judgement.verdict === 'alive') {
          expect(f.probe).toEqual({ state: 'present', startTimeTicks: lock.start_time_ticks });
          expect(f.observerNs).toBe(lock.pid_namespace);
          expect(lock.host).toBe(observer.host);
        }
      }),
    );
  });
});
