// The report read without its actions must be exactly the report read in
// full, minus the actions: the same fields when it is valid, the same error
// chain (locations included) when it is not, whatever was done to the file.
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeArtifactText } from './artifact-codec.js';
import { formatErrorChain } from './error-chain.js';
import { parseRecoveryReport, RECOVERY_REPORT_KEYS, serializeRecoveryReport, type RecoveryReport } from './recovery-report.js';
import {
  endOfPlainStringArray,
  parseRecoveryReportWithoutActions,
  readRecoveryReportWithoutActions,
  readTextAroundActions,
  type TextAroundActions,
} from './recovery-report-without-actions.js';
import { readRecoveryReport } from './recovery-report.js';

const PATH = '/state/recovery-report.json';

function fullOutcome(bytes: Buffer): unknown {
  try {
    const report = parseRecoveryReport(decodeArtifactText('recovery_report', PATH, bytes), PATH);
    // Tau's keys but the actions (unknown keys are not kept without them).
    return { report: Object.fromEntries(RECOVERY_REPORT_KEYS.filter((key) => key !== 'replayed_actions').map((key) => [key, report[key]])) };
  } catch (error) {
    return { error: formatErrorChain(error) };
  }
}

function withoutActionsOutcome(bytes: Buffer, file = PATH): unknown {
  try {
    return { report: parseRecoveryReportWithoutActions(bytes, file) };
  } catch (error) {
    return { error: formatErrorChain(error) };
  }
}

function readOutcome(read: () => unknown): unknown {
  try {
    return { report: read() };
  } catch (error) {
    return { error: formatErrorChain(error) };
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-report-without-actions-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const action = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('pause', 'resume', 'cancel', 'rollback', 'status') },
  { weight: 1, arbitrary: fc.constantFrom('q"b', 'back\\slash', 'tab\t', 'é', '😀', '', ' ', '[', ']', ',') },
);

const reportArb: fc.Arbitrary<RecoveryReport> = fc
  .record({
    actions: fc.array(action, { maxLength: 40 }),
    principal: fc.constantFrom('local:alice', 'q"x', 'é'),
    crash: fc.boolean(),
    source: fc.constantFrom('primary', 'fallback', null),
    runId: fc.option(fc.constantFrom('run-1', 'r\\n'), { nil: null }),
    diagnostics: fc.array(fc.constantFrom('resume recovery: ok', 'd"x', '[1]'), { maxLength: 2 }),
    unknown: fc.option(fc.constantFrom({ 'x-a': [1, 'b'] }, { 'x-b': { replayed_actions: ['nested'] } }), { nil: null }),
  })
  .map(({ actions, principal, crash, source, runId, diagnostics, unknown }) => ({
    schema_version: 1 as const,
    recovered_at_unix_ms: 1_767_225_600_000,
    principal,
    crash_detected: crash,
    prior_lifecycle_state: 'paused' as const,
    prior_training_state: null,
    replayed_audit_events: actions.length,
    replayed_actions: actions,
    checkpoint_source: source,
    checkpoint_run_id: runId,
    checkpoint_global_step: runId === null ? null : 7,
    checkpoint_optimizer_step: runId === null ? null : 3,
    diagnostics,
    ...(unknown ?? {}),
  }));

/** What may be done to a written report: byte edits anywhere, or near the actions, and whole-file changes. */
type Damage =
  | { kind: 'replace' | 'insert'; at: number; near: boolean; text: string }
  | { kind: 'delete' | 'truncate' | 'bad_utf8'; at: number; near: boolean }
  | { kind: 'bom' | 'duplicate_key' | 'nested_key_first' | 'key_in_string' | 'schema_version_2' | 'number_action' };

const hostile = fc.constantFrom('"', '\\', ',', '[', ']', '{', '}', ':', '1', ' ', '\n', '\t', '\u0001', 'é', '\u00a0', 'a', 'null');
const damageArb: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constantFrom('replace' as const, 'insert' as const), at: fc.nat(), near: fc.boolean(), text: hostile }),
  fc.record({ kind: fc.constantFrom('delete' as const, 'truncate' as const, 'bad_utf8' as const), at: fc.nat(), near: fc.boolean() }),
  fc.record({ kind: fc.constantFrom('bom' as const, 'duplicate_key' as const, 'nested_key_first' as const, 'key_in_string' as const, 'schema_version_2' as const, 'number_action' as const) }),
);

function damaged(text: string, damage: Damage | null): Buffer {
  if (damage === null) return Buffer.from(text);
  const arrayAt = Math.max(0, text.indexOf('"replayed_actions"'));
  const position = (at: number, near: boolean) => (near ? arrayAt + (at % 120) : at) % (text.length + 1);
  switch (damage.kind) {
    case 'replace':
    case 'insert': {
      const at = position(damage.at, damage.near);
      return Buffer.from(text.slice(0, at) + damage.text + text.slice(damage.kind === 'replace' ? at + 1 : at));
    }
    case 'delete': {
      const at = position(damage.at, damage.near);
      return Buffer.from(text.slice(0, at) + text.slice(at + 1));
    }
    case 'truncate':
      return Buffer.from(text).subarray(0, position(damage.at, damage.near));
    case 'bad_utf8': {
      // A byte that is never UTF-8, in a string or between tokens.
      const bytes = Buffer.from(text);
      const at = position(damage.at, damage.near) % (bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff]), bytes.subarray(at)]);
    }
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    case 'duplicate_key':
      return Buffer.from(text.replace(/\n}$/, ',\n  "replayed_actions": [\n    "pause"\n  ]\n}'));
    case 'nested_key_first':
      return Buffer.from(text.replace(/^{/, '{\n  "x-first": {\n  "replayed_actions": [\n    "pause"\n  ]\n  },'));
    case 'key_in_string':
      return Buffer.from(text.replace('"principal": "', '"principal": "\n  "replayed_actions": [\n    "pause"\n  ]'));
    case 'schema_version_2':
      return Buffer.from(text.replace('"schema_version": 1', '"schema_version": 2'));
    case 'number_action':
      return Buffer.from(text.replace('"replayed_actions": [', '"replayed_actions": [\n    1,'));
  }
}

describe('parseRecoveryReportWithoutActions', () => {
  it('property: the fields or the error of the full parse, whatever was done to the file', () => {
    fc.assert(
      fc.property(reportArb, fc.option(damageArb, { nil: null }), (report, damage) => {
        const bytes = damaged(serializeRecoveryReport(report), damage);
        expect(withoutActionsOutcome(bytes)).toEqual(fullOutcome(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('property: read from a file a chunk at a time, whatever the chunk size, as from its bytes', () => {
    const file = path.join(dir, 'recovery-report.json');
    fc.assert(
      fc.property(reportArb, fc.option(damageArb, { nil: null }), fc.integer({ min: 1, max: 300 }), (report, damage, chunkBytes) => {
        const bytes = damaged(serializeRecoveryReport(report), damage);
        fs.writeFileSync(file, bytes);
        expect(readOutcome(() => readRecoveryReportWithoutActions(file, chunkBytes))).toEqual(withoutActionsOutcome(bytes, file));
      }),
      { numRuns: 1000 },
    );
  });

  it('property: the chunked read keeps exactly the text around a plain ASCII array, or calls the file unusual', () => {
    const file = path.join(dir, 'around.json');
    const key = Buffer.from('\n  "replayed_actions": [');
    /** The same split, from the whole bytes. */
    const expected = (bytes: Buffer): TextAroundActions => {
      const at = bytes.indexOf(key);
      const open = at < 0 ? -1 : at + key.length - 1;
      const close = open < 0 ? -1 : endOfPlainStringArray(bytes, open);
      if (close < 0 || bytes.subarray(open, close).some((byte) => byte >= 0x80)) return 'unusual';
      try {
        const decode = (part: Buffer) => new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(part);
        return { before: decode(bytes.subarray(0, open)), after: decode(bytes.subarray(close)) };
      } catch {
        return 'unusual';
      }
    };
    fc.assert(
      fc.property(reportArb, fc.option(damageArb, { nil: null }), fc.integer({ min: 1, max: 300 }), (report, damage, chunkBytes) => {
        const bytes = damaged(serializeRecoveryReport(report), damage);
        fs.writeFileSync(file, bytes);
        expect(readTextAroundActions(file, chunkBytes)).toEqual(expected(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it('reads what is not a plain file, or not there, as readRecoveryReport does', () => {
    expect(readRecoveryReportWithoutActions(path.join(dir, 'missing.json'))).toBeUndefined();
    fs.symlinkSync(path.join(dir, 'nowhere.json'), path.join(dir, 'dangling.json'));
    expect(readRecoveryReportWithoutActions(path.join(dir, 'dangling.json'))).toBeUndefined();
    const directory = path.join(dir, 'a-directory.json');
    fs.mkdirSync(directory);
    const error = readOutcome(() => readRecoveryReportWithoutActions(directory));
    expect(error).toEqual(readOutcome(() => readRecoveryReport(directory)));
    expect(error).toMatchObject({ error: expect.stringMatching(/not a regular file/) });
  });

  it.each<[string, string, number]>([
    ['an empty array', '[]', 2],
    ['whitespace everywhere', '[ \n\t\r"a" ,\n "b"\n]', 17],
    ['a trailing comma', '["a",]', -1],
    ['a leading comma', '[,"a"]', -1],
    ['two strings without a comma', '["a" "b"]', -1],
    ['an escape', '["a\\"b"]', -1],
    ['non-ASCII (checked as UTF-8 by the caller)', '["é"]', 6],
    ['a control byte', '["\u0001"]', -1],
    ['a number', '[1]', -1],
    ['unclosed', '["a"', -1],
    ['an unclosed string', '["a', -1],
    ['not an array', '"a"', -1],
  ])('endOfPlainStringArray: %s', (_name, text, end) => {
    expect(endOfPlainStringArray(Buffer.from(text), 0)).toBe(end);
  });

  it('reads a million actions without a string per action, and gives the full parse its fields', () => {
    const report: RecoveryReport = {
      ...(fc.sample(reportArb, { numRuns: 1, seed: 7 })[0] as RecoveryReport),
      replayed_actions: Array.from({ length: 1_000_000 }, (_, index) => (index % 3 === 0 ? 'pause' : 'resume')),
    };
    const bytes = Buffer.from(serializeRecoveryReport(report));
    expect(withoutActionsOutcome(bytes)).toEqual(fullOutcome(bytes));
  });
});
