import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { F64Value, orderKeys, writeTauJson, writeTauJsonChunks, type TauJsonSequence, type TauJsonValue } from './tau-json-writer.js';

// JSON values whose numbers are all safe integers: there serde_json and JSON.stringify agree byte for byte.
const integerJson = fc.letrec<{ value: TauJsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc.string({ unit: 'binary' }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('writeTauJson', () => {
  it('writes pretty JSON like serde_json::to_string_pretty', () => {
    const value = { a: 1, b: [], c: {}, d: ['x', { e: null }], f: true };
    expect(writeTauJson(value, 'pretty')).toBe(
      '{\n  "a": 1,\n  "b": [],\n  "c": {},\n  "d": [\n    "x",\n    {\n      "e": null\n    }\n  ],\n  "f": true\n}',
    );
  });

  it('writes compact JSON like serde_json::to_string', () => {
    expect(writeTauJson({ a: [1, 'two'], b: { c: null } }, 'compact')).toBe('{"a":[1,"two"],"b":{"c":null}}');
  });

  it('escapes strings as serde_json does: quotes, backslash, control characters; keeps non-ASCII raw', () => {
    expect(writeTauJson('q"b\\n\n t\t c\u0001 d\u007f é \u2028', 'compact')).toBe('"q\\"b\\\\n\\n t\\t c\\u0001 d\u007f é \u2028"');
  });

  it('writes f64 markers in serde layout and plain non-integers as f64', () => {
    expect(writeTauJson({ loss: new F64Value(1), kl: 0.5, big: 1e300 }, 'compact')).toBe('{"loss":1.0,"kl":0.5,"big":1e300}');
  });

  it('matches JSON.stringify for any JSON with safe integers', () => {
    fc.assert(
      fc.property(integerJson, (value) => {
        expect(writeTauJson(value, 'pretty')).toBe(JSON.stringify(value, null, 2));
        expect(writeTauJson(value, 'compact')).toBe(JSON.stringify(value));
      }),
      { numRuns: 300 },
    );
  });
});

describe('writeTauJsonChunks', () => {
  it('matches JSON.stringify for arrays that repeat a few strings (remembered with their separator), mixed with other values', () => {
    const few = fc.constantFrom('pause', 'resume', '', 'tab\there', 'quote"d', 'é', 'x'.repeat(64), 'y'.repeat(65));
    const item = fc.oneof({ weight: 8, arbitrary: few }, fc.constant(null), fc.maxSafeInteger(), fc.array(few, { maxLength: 3 }), fc.dictionary(few, few, { maxKeys: 2 }));
    fc.assert(
      fc.property(fc.array(item, { maxLength: 60 }), fc.boolean(), fc.integer({ min: 1, max: 200 }), (items, asSequence, chunkChars) => {
        // Also as a sequence that is not an array (a compact action list is one).
        const array: TauJsonValue = asSequence ? { length: items.length, [Symbol.iterator]: () => items[Symbol.iterator]() } : items;
        const value: TauJsonValue = { replayed_actions: array, nested: [items] };
        expect([...writeTauJsonChunks(value, 'pretty', chunkChars)].join('')).toBe(JSON.stringify({ replayed_actions: items, nested: [items] }, null, 2));
        expect(writeTauJson(value, 'compact')).toBe(JSON.stringify({ replayed_actions: items, nested: [items] }));
      }),
      { numRuns: 200 },
    );
  });

  it('gives pieces whose concatenation is the whole text, each but the last at least chunkChars long', () => {
    fc.assert(
      fc.property(integerJson, fc.integer({ min: 1, max: 80 }), fc.constantFrom('pretty', 'compact'), (value, chunkChars, style) => {
        const pieces = [...writeTauJsonChunks(value, style, chunkChars)];
        expect(pieces.join('')).toBe(style === 'pretty' ? JSON.stringify(value, null, 2) : JSON.stringify(value));
        for (const piece of pieces.slice(0, -1)) expect(piece.length).toBeGreaterThanOrEqual(chunkChars);
        expect(pieces.every((piece) => piece.length > 0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never holds much more than chunkChars: a 100k-element array comes out in bounded pieces', () => {
    const actions = Array.from({ length: 100_000 }, (_, index) => ['pause', 'resume', 'cancel', 'rollback'][index % 4] as string);
    const pieces = [...writeTauJsonChunks({ replayed_actions: actions, diagnostics: ['done'] }, 'pretty', 4096)];
    expect(pieces.length).toBeGreaterThan(300);
    // An element adds at most `,\n    "rollback"` (17 code units) past the threshold.
    for (const piece of pieces) expect(piece.length).toBeLessThan(4096 + 17 + 1);
    expect(pieces.join('')).toBe(JSON.stringify({ replayed_actions: actions, diagnostics: ['done'] }, null, 2));
  });

  /** Strings held as codes into a table, in chunks (as `@tau/audit-log`'s action list holds them); iterable like any sequence. */
  function codedSequence(table: readonly unknown[], chunks: (Uint8Array | Uint32Array)[]): TauJsonSequence {
    const entries = chunks.flatMap((chunk) => Array.from(chunk, (code) => table[code] as TauJsonValue));
    return { length: entries.length, [Symbol.iterator]: () => entries[Symbol.iterator](), toCodes: () => ({ table, chunks }) };
  }

  it('writes a sequence given as codes exactly as the array of its strings, at any chunk size, wherever it sits', () => {
    const text = fc.oneof(fc.constantFrom('pause', 'resume', '', 'tab\there', 'quote"d', 'back\\slash', 'é', '\u2028', '😀', 'x'.repeat(70)), fc.string({ unit: 'binary', maxLength: 8 }));
    const wide = fc.boolean();
    const coded = fc.uniqueArray(text, { minLength: 1, maxLength: 6 }).chain((table) =>
      fc.tuple(fc.constant(table), fc.array(fc.array(fc.nat(table.length - 1), { maxLength: 30 }), { maxLength: 5 }), wide),
    );
    fc.assert(
      fc.property(coded, fc.oneof(fc.integer({ min: 1, max: 120 }), fc.constant(Number.POSITIVE_INFINITY)), fc.constantFrom('pretty', 'compact'), ([table, codeLists, isWide], chunkChars, style) => {
        const chunks = codeLists.map((codes) => (isWide ? Uint32Array.from(codes) : Uint8Array.from(codes)));
        const strings = codeLists.flat().map((code) => table[code] as string);
        const value: TauJsonValue = { before: 'x', replayed_actions: codedSequence(table, chunks), nested: [codedSequence(table, chunks)], after: [1] };
        const plain = { before: 'x', replayed_actions: strings, nested: [strings], after: [1] };
        const pieces = [...writeTauJsonChunks(value, style, chunkChars)];
        expect(pieces.join('')).toBe(style === 'pretty' ? JSON.stringify(plain, null, 2) : JSON.stringify(plain));
        for (const piece of pieces.slice(0, -1)) expect(piece.length).toBeGreaterThanOrEqual(chunkChars);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a coded sequence with a code outside its table, and writes one whose table is not all strings entry by entry', () => {
    const broken = codedSequence(['pause', 'resume'], [Uint8Array.from([0, 1, 2])]);
    expect(() => [...writeTauJsonChunks({ replayed_actions: broken }, 'pretty', 64)]).toThrow(/code 2, outside its table of 2 strings/);
    expect(() => [...writeTauJsonChunks({ replayed_actions: codedSequence(['pause'], [Uint8Array.from([1])]) }, 'pretty', 64)]).toThrow(RangeError);
    const mixed = codedSequence(['pause', 7, null], [Uint8Array.from([0, 1, 2, 0])]);
    expect([...writeTauJsonChunks(mixed, 'compact', 4)].join('')).toBe('["pause",7,null,"pause"]');
  });

  it('with an unbounded chunk size gives one piece, the text writeTauJson returns', () => {
    const value = { a: [1, { b: 'x' }], c: new F64Value(2) };
    expect([...writeTauJsonChunks(value, 'pretty', Number.POSITIVE_INFINITY)]).toEqual([writeTauJson(value, 'pretty')]);
    expect(writeTauJson(value, 'pretty')).toBe('{\n  "a": [\n    1,\n    {\n      "b": "x"\n    }\n  ],\n  "c": 2.0\n}');
  });
});

describe('orderKeys', () => {
  it('puts known keys first in the given order, then unknown keys in their original order', () => {
    const ordered = orderKeys({ z: 1, b: 2, extra: 3, a: 4, skipped: undefined }, ['a', 'b', 'missing', 'skipped']);
    expect(Object.keys(ordered)).toEqual(['a', 'b', 'z', 'extra']);
  });

  it('keeps a `__proto__` key from a parsed file as an ordinary key', () => {
    const parsed = JSON.parse('{"a": 1, "__proto__": {"polluted": true}}') as Record<string, unknown>;
    const ordered = orderKeys(parsed, ['a']);
    expect(writeTauJson(ordered, 'compact')).toBe('{"a":1,"__proto__":{"polluted":true}}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('drops a known key when the converter returns undefined', () => {
    const ordered = orderKeys({ a: null, b: 1 }, ['a', 'b'], (_key, value) => (value === null ? undefined : (value as TauJsonValue)));
    expect(ordered).toEqual({ b: 1 });
  });
});
