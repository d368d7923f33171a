import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuditActionList } from './audit-action-list.js';

function listOf(actions: readonly string[]): AuditActionList {
  const list = new AuditActionList();
  for (const action of actions) list.push(action);
  return list;
}

/** Rows per action, in order of first appearance (what `counts()` gives). */
function countsOf(actions: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const action of actions) counts.set(action, (counts.get(action) ?? 0) + 1);
  return [...counts];
}

describe('AuditActionList', () => {
  it('property: holds exactly the pushed actions, in order, whatever their number and variety', () => {
    // Few distinct actions (byte codes), and many (past 256 distinct: widened codes), across growth boundaries.
    const fewActions = fc.array(fc.constantFrom('pause', 'resume', 'status', 'cancel', 'rollback', ''), { maxLength: 3000 });
    const manyActions = fc.array(fc.string({ maxLength: 4 }), { minLength: 200, maxLength: 3000 });
    fc.assert(
      fc.property(fc.oneof(fewActions, manyActions), (actions) => {
        const list = listOf(actions);
        expect(list.length).toBe(actions.length);
        expect(list.toJSON()).toEqual(actions);
        expect([...list]).toEqual(actions);
        expect(list.at(-1)).toBe(actions.at(-1));
        expect(list.at(actions.length)).toBeUndefined();
      }),
      { numRuns: 60 },
    );
  });

  it('keeps 300 distinct actions exact (codes wider than a byte) and serializes as a plain array', () => {
    const actions = Array.from({ length: 1000 }, (_, index) => `action-${index % 300}`);
    const list = listOf(actions);
    expect(list.at(299)).toBe('action-299');
    expect(list.at(300)).toBe('action-0');
    expect(JSON.stringify(list)).toBe(JSON.stringify(actions));
  });

  it('stays exact across its 64 Ki-code chunks: pushes, appends, widening after chunks are full, counts and lookups', () => {
    // Past two chunk boundaries, then past 256 distinct actions (every chunk widened), appended from another list.
    const head = Array.from({ length: 150_000 }, (_, index) => ['pause', 'resume', 'status'][index % 3] as string);
    const tail = Array.from({ length: 70_000 }, (_, index) => (index % 200 === 0 ? `rare-${index / 200}` : 'cancel'));
    const list = listOf(head);
    list.appendCodes(listOf(tail).toCodes());
    list.push('pause');
    const all = [...head, ...tail, 'pause'];
    expect(list.length).toBe(all.length);
    expect([...list]).toEqual(all);
    for (const index of [0, 65_535, 65_536, 131_071, 131_072, 149_999, 150_000, 219_999, 220_000, -1]) expect(list.at(index)).toBe(all.at(index));
    const expectedCounts = new Map<string, number>();
    for (const action of all) expectedCounts.set(action, (expectedCounts.get(action) ?? 0) + 1);
    expect(list.counts()).toEqual([...expectedCounts]);
  });

  it('property: appending another list\'s codes (a range scanned in a worker) equals pushing its actions', () => {
    const actions = fc.array(fc.oneof(fc.constantFrom('pause', 'resume', 'status'), fc.string({ maxLength: 3 })), { maxLength: 1500 });
    fc.assert(
      fc.property(actions, actions, (head, tail) => {
        const joined = listOf(head);
        joined.appendCodes(listOf(tail).toCodes());
        expect(joined.toJSON()).toEqual([...head, ...tail]);
        expect(joined.length).toBe(head.length + tail.length);
      }),
      { numRuns: 60 },
    );
  });

  it('property: lists continuing one code table (a thread\'s ranges), appended in log order among others, equal pushing every action, counts included', () => {
    const part = fc.array(fc.oneof(fc.constantFrom('pause', 'resume', 'status'), fc.string({ maxLength: 3 })), { maxLength: 400 });
    fc.assert(
      // Each part is a range: scanned by this thread (continuing its last list) or by another (a list of its own).
      fc.property(part, fc.array(fc.record({ actions: part, mine: fc.boolean() }), { minLength: 1, maxLength: 6 }), (head, ranges) => {
        const joined = listOf(head);
        let mine: AuditActionList | undefined;
        for (const { actions, mine: isMine } of ranges) {
          const list = isMine ? AuditActionList.continuing(mine) : new AuditActionList();
          for (const action of actions) list.push(action);
          if (isMine) mine = list;
          expect(list.toJSON()).toEqual(actions);
          // A continuing list orders its counts as its table does (actions this thread met before come first).
          expect(new Map(list.counts())).toEqual(new Map(countsOf(actions)));
          joined.appendCodes(list.toCodes());
        }
        const all = [...head, ...ranges.flatMap((range) => range.actions)];
        expect(joined.toJSON()).toEqual(all);
        expect(joined.counts()).toEqual(countsOf(all));
      }),
      { numRuns: 100 },
    );
  });

  it('continues a table past 256 actions with wide codes, and appends it whole or mapped', () => {
    const first = AuditActionList.continuing(undefined);
    const many = Array.from({ length: 300 }, (_, index) => `action-${index}`);
    for (const action of many) first.push(action);
    const next = AuditActionList.continuing(first);
    const later = ['action-299', 'action-5', 'new-one', 'action-299'];
    for (const action of later) next.push(action);
    expect(next.toJSON()).toEqual(later);
    expect(new Map(next.counts())).toEqual(new Map(countsOf(later)));
    // Appended to an empty list, the codes keep their meaning (copied whole); after other actions, they are mapped.
    for (const head of [[], ['zzz', 'action-7']]) {
      const joined = listOf(head);
      joined.appendCodes(first.toCodes());
      joined.appendCodes(next.toCodes());
      expect(joined.toJSON()).toEqual([...head, ...many, ...later]);
      expect(joined.counts()).toEqual(countsOf([...head, ...many, ...later]));
    }
  });
});
