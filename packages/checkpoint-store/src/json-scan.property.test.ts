// The streaming scanner against V8's JSON.parse (with strict UTF-8) as an
// oracle, and the two scan paths against each other, on generated documents:
// valid ones and ones corrupted by truncation, bit flips, wrong types,
// duplicate keys, deep nesting and oversized integers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateCheckpointScan } from './checkpoint-validation.js';
import { scanJsonBytesFast } from './fast-json-scan.js';
import { scanJsonBytes, StreamingJsonScanner } from './streaming-json-scanner.js';
import type { TopLevelScan } from './top-level-scan.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

function oracleAccepts(bytes: Uint8Array): boolean {
  try {
    JSON.parse(strictUtf8.decode(bytes));
    return true;
  } catch {
    return false;
  }
}

type Outcome = { ok: true; scan: TopLevelScan } | { ok: false; error: string; offset: unknown };

function outcomeOf(scan: () => TopLevelScan): Outcome {
  try {
    return { ok: true, scan: scan() };
  } catch (error) {
    return { ok: false, error: `${(error as Error).name}: ${(error as Error).message}`, offset: (error as { offset?: unknown }).offset };
  }
}

function scanInChunks(bytes: Uint8Array, cuts: number[]): TopLevelScan {
  // One scratch Buffer reused for every chunk, as the file reader does, so a
  // summary that kept a view into it instead of a copy would come out wrong.
  const scratch = Buffer.alloc(bytes.length);
  const scanner = new StreamingJsonScanner();
  let from = 0;
  const bounds = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  for (const cut of [...bounds, bytes.length]) {
    scratch.set(bytes.subarray(from, cut));
    scanner.feed(scratch.subarray(0, cut - from));
    scratch.fill(0x20);
    from = cut;
  }
  return scanner.finish();
}

/** Verdict of the full checkpoint check (scan + Tau's rules), comparable across paths. */
function checkpointVerdict(bytes: Uint8Array, scan: (b: Uint8Array) => TopLevelScan): unknown {
  try {
    return { ok: true, ...validateCheckpointScan(scan(bytes)) };
  } catch (error) {
    return { ok: false, kind: (error as Error).name, message: (error as Error).message };
  }
}

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'insert'; at: number; byte: number }
  | { kind: 'delete'; at: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.constantFrom(0x22, 0x5c, 0x2c, 0x7d, 0x5d, 0x30, 0x2d, 0x0a, 0x00, 0x80, 0xc3, 0xed, 0xf4, 0xff, 0x65, 0x2e) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
);

function mutate(bytes: Uint8Array, mutations: Mutation[]): Uint8Array {
  let current = bytes;
  for (const mutation of mutations) {
    const at = current.length === 0 ? 0 : mutation.at % current.length;
    switch (mutation.kind) {
      case 'truncate': current = current.slice(0, at); break;
      case 'flip': {
        if (current.length === 0) break;
        current = current.slice();
        current[at] = (current[at] as number) ^ (1 << mutation.bit);
        break;
      }
      case 'insert': current = Uint8Array.from([...current.slice(0, at), mutation.byte, ...current.slice(at)]); break;
      case 'delete': current = Uint8Array.from([...current.slice(0, at), ...current.slice(at + 1)]); break;
    }
  }
  return current;
}

const jsonTextArb = fc.oneof(
  fc.json({ maxDepth: 4, stringUnit: 'binary' }),
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value, null, 2)),
  fc.constantFrom('', ' ', '\ufeff{}', '{"a":1}x', '01', '-', '1.', '1e', '"\\u12"', '[1,]', '{"a" 1}', 'tru', 'nul', '"\\x"', '1e+5', '-0.5E-3'),
);

describe('streaming JSON scanner', () => {
  it('accepts exactly what JSON.parse (strict UTF-8) accepts, intact or corrupted', () => {
    fc.assert(
      fc.property(jsonTextArb, fc.array(mutationArb, { maxLength: 3 }), (text, mutations) => {
        const bytes = mutate(encoder.encode(text), mutations);
        expect(outcomeOf(() => scanJsonBytes(bytes)).ok).toBe(oracleAccepts(bytes));
      }),
      { numRuns: 1500 },
    );
  });

  it('gives the same result however the input is split into chunks', () => {
    fc.assert(
      fc.property(jsonTextArb, fc.array(mutationArb, { maxLength: 2 }), fc.array(fc.nat(), { maxLength: 12 }), (text, mutations, cuts) => {
        const bytes = mutate(encoder.encode(text), mutations);
        expect(outcomeOf(() => scanInChunks(bytes, cuts))).toEqual(outcomeOf(() => scanJsonBytes(bytes)));
      }),
      { numRuns: 800 },
    );
  });

  it('agrees with the fast path on summaries and errors', () => {
    fc.assert(
      fc.property(jsonTextArb, fc.array(mutationArb, { maxLength: 2 }), (text, mutations) => {
        const bytes = mutate(encoder.encode(text), mutations);
        expect(outcomeOf(() => scanJsonBytesFast(bytes))).toEqual(outcomeOf(() => scanJsonBytes(bytes)));
      }),
      { numRuns: 800 },
    );
  });

  it('rejects invalid UTF-8 inside strings as TextDecoder does', () => {
    const cases = [[0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf5], [0x80], [0xc3]];
    for (const sequence of cases) {
      const bytes = Uint8Array.from([0x22, ...sequence, 0x22]);
      expect(oracleAccepts(bytes)).toBe(false);
      expect(() => scanJsonBytes(bytes)).toThrow(/invalid UTF-8/);
    }
    expect(scanJsonBytes(encoder.encode('"é€𝄞\u2028"')).rootKind).toBe('string');
  });

  it('handles nesting far deeper than any call stack', () => {
    const depth = 200_000;
    const bytes = encoder.encode(`{"policy_state":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    const scan = scanJsonBytes(bytes);
    expect(scan.members[0]?.kind).toBe('array');
    expect(scan.members[0]?.valueBytes).toBe(2 * depth);
    expect(() => scanJsonBytes(bytes.slice(0, bytes.length - 2))).toThrow('unexpected end of JSON input');
  });
});

// ---- checkpoint documents ----

const SAFE_MAX = '9007199254740991';
const u64Raw = fc.oneof(
  { weight: 6, arbitrary: fc.nat().map(String) },
  { weight: 1, arbitrary: fc.constantFrom(SAFE_MAX, '9007199254740992', '18446744073709551615', '1.0', '1e3', '-1', '-0', '0', '"7"', 'null', '12345678901234567890123') },
);
const stateRaw = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }).map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }).map((depth) => `{"deep":${'['.repeat(depth)}1${']'.repeat(depth)}}`) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)) },
);
const runIdRaw = fc.oneof(
  { weight: 6, arbitrary: fc.string({ minLength: 1, unit: 'binary' }).map((s) => JSON.stringify(s)) },
  { weight: 1, arbitrary: fc.constantFrom('""', '"   "', '"\\t\\n"', '42', 'null', '{}') },
);
const versionRaw = fc.oneof({ weight: 8, arbitrary: fc.constant('1') }, { weight: 1, arbitrary: fc.constantFrom('2', '0', '1.0', '"1"', '99999999999999999999') });

const membersArb = fc.tuple(versionRaw, runIdRaw, stateRaw, stateRaw, u64Raw, u64Raw, u64Raw).map(
  ([version, runId, policy, optimizer, globalStep, optimizerStep, savedAt]) => [
    ['checkpoint_version', version], ['run_id', runId], ['policy_state', policy], ['optimizer_state', optimizer],
    ['global_step', globalStep], ['optimizer_step', optimizerStep], ['saved_at_unix_seconds', savedAt],
  ] as Array<[string, string]>,
);

type MemberEdit = { kind: 'drop'; at: number } | { kind: 'duplicate'; at: number; value: string } | { kind: 'extra'; key: string; value: string } | { kind: 'escape-key'; at: number };
const memberEditArb: fc.Arbitrary<MemberEdit> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), value: fc.jsonValue({ maxDepth: 1 }).map((v) => JSON.stringify(v)) }),
  fc.record({ kind: fc.constant('extra' as const), key: fc.string(), value: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) }),
  fc.record({ kind: fc.constant('escape-key' as const), at: fc.nat() }),
);

function renderCheckpoint(members: Array<[string, string]>, edits: MemberEdit[], pretty: boolean): string {
  const list = members.map(([key, value]) => [JSON.stringify(key), value] as [string, string]);
  for (const edit of edits) {
    const at = list.length === 0 ? 0 : ('at' in edit ? edit.at % list.length : 0);
    if (edit.kind === 'drop') list.splice(at, 1);
    else if (edit.kind === 'duplicate' && list[at]) list.push([list[at][0], edit.value]);
    else if (edit.kind === 'extra') list.splice(at, 0, [JSON.stringify(edit.key), edit.value]);
    else if (edit.kind === 'escape-key' && list[at]) list[at] = [list[at][0].replace('_', '\\u005f'), list[at][1]];
  }
  const separator = pretty ? ',\n  ' : ',';
  const body = list.map(([key, value]) => `${key}:${pretty ? ' ' : ''}${value}`).join(separator);
  return pretty ? `{\n  ${body}\n}` : `{${body}}`;
}

describe('checkpoint verdicts, fast path vs streaming', () => {
  it('are identical on valid and corrupted checkpoints', () => {
    fc.assert(
      fc.property(
        membersArb, fc.array(memberEditArb, { maxLength: 2 }), fc.boolean(), fc.array(mutationArb, { maxLength: 2 }),
        (members, edits, pretty, mutations) => {
          const bytes = mutate(encoder.encode(renderCheckpoint(members, edits, pretty)), mutations);
          expect(checkpointVerdict(bytes, scanJsonBytesFast)).toEqual(checkpointVerdict(bytes, scanJsonBytes));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('accept an intact document exactly when its fields follow the rules', () => {
    fc.assert(
      fc.property(membersArb, (members) => {
        const bytes = encoder.encode(renderCheckpoint(members, [], true));
        const fields = Object.fromEntries(members);
        const u64Ok = (raw: string | undefined): boolean => raw !== undefined && /^(0|[1-9]\d*)$/.test(raw) && BigInt(raw) <= BigInt(SAFE_MAX);
        const runId = JSON.parse(fields.run_id ?? 'null') as unknown;
        const expectedOk = fields.checkpoint_version === '1' && typeof runId === 'string' && runId.trim() !== '' &&
          (fields.policy_state ?? '').startsWith('{') && (fields.optimizer_state ?? '').startsWith('{') &&
          u64Ok(fields.global_step) && u64Ok(fields.optimizer_step) && u64Ok(fields.saved_at_unix_seconds);
        const verdict = checkpointVerdict(bytes, scanJsonBytes) as { ok: boolean };
        expect(verdict.ok).toBe(expectedOk);
      }),
      { numRuns: 500 },
    );
  });
});
