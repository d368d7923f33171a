import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArtifactSerializeError } from './artifact-errors.js';
import { formatErrorChain } from './error-chain.js';
import {
  parseRecoveryReport,
  recoveryReportSchema,
  serializeRecoveryReport,
  serializeRecoveryReportChunks,
  type ReplayedActionSequence,
  type RecoveryReport,
} from './recovery-report.js';
import { thrownBy } from './thrown-error.test-support.js';

// Actions and diagnostics with quotes, backslashes, control characters, non-ASCII and astral characters.
const awkwardText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.constantFrom('pause', 'resume', 'cancel', 'rollback', 'status', 'q"b\\n\n\t\u0001\u007f é \u2028 😀', ''),
);

// Unknown keys (never one of Tau's: prefixed) with JSON values whose numbers are safe integers.
const unknownValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    awkwardText,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 3 }),
  ),
})).value;
const unknownKeys = fc.dictionary(fc.string().map((key) => `x-${key}`), unknownValue, { maxKeys: 3 });

const reportArbitrary = fc
  .record({
    // Deliberately not in Tau's order: the serializer must reorder.
    diagnostics: fc.array(awkwardText, { maxLength: 4 }),
    checkpoint_optimizer_step: fc.option(fc.maxSafeNat(), { nil: null }),
    checkpoint_global_step: fc.option(fc.maxSafeNat(), { nil: null }),
    checkpoint_run_id: fc.option(awkwardText, { nil: null }),
    checkpoint_source: fc.constantFrom('primary', 'fallback', null),
    replayed_actions: fc.array(awkwardText, { maxLength: 60 }),
    prior_training_state: fc.option(awkwardText, { nil: null }),
    prior_lifecycle_state: fc.constantFrom('running', 'paused', 'cancelled', 'rollback_requested', 'missing'),
    crash_detected: fc.boolean(),
    principal: awkwardText,
    recovered_at_unix_ms: fc.maxSafeNat(),
    schema_version: fc.constant(1 as const),
  })
  .chain((known) =>
    unknownKeys.map((extra) => ({ ...known, replayed_audit_events: known.replayed_actions.length, ...extra }) as RecoveryReport),
  );

/** The expected bytes, independently of our writer: Tau's key order built by hand, then JSON.stringify (serde's pretty layout for safe integers). */
function expectedText(report: RecoveryReport): string {
  const {
    schema_version, recovered_at_unix_ms, principal, crash_detected, prior_lifecycle_state, prior_training_state,
    replayed_audit_events, replayed_actions, checkpoint_source, checkpoint_run_id, checkpoint_global_step,
    checkpoint_optimizer_step, diagnostics, ...unknown
  } = report;
  const ordered = {
    schema_version, recovered_at_unix_ms, principal, crash_detected, prior_lifecycle_state, prior_training_state,
    replayed_audit_events, replayed_actions, checkpoint_source, checkpoint_run_id, checkpoint_global_step,
    checkpoint_optimizer_step, diagnostics, ...unknown,
  };
  return JSON.stringify(ordered, null, 2);
}

function reportOf(replayedActions: string[]): RecoveryReport {
  return {
    schema_version: 1,
    recovered_at_unix_ms: 1,
    principal: 'local:alice',
    crash_detected: false,
    prior_lifecycle_state: 'paused',
    prior_training_state: null,
    replayed_audit_events: replayedActions.length,
    replayed_actions: replayedActions,
    checkpoint_source: null,
    checkpoint_run_id: null,
    checkpoint_global_step: null,
    checkpoint_optimizer_step: null,
    diagnostics: ['resume recovery: no crash-detected state, checkpoint restore not required'],
  };
}

describe('serializeRecoveryReportChunks', () => {
  it('concatenates to exactly serializeRecoveryReport’s bytes, at any chunk size, and those are Tau’s', () => {
    fc.assert(
      fc.property(reportArbitrary, fc.integer({ min: 1, max: 200 }), (report, chunkChars) => {
        const whole = serializeRecoveryReport(report);
        expect(whole).toBe(expectedText(report));
        const pieces = [...serializeRecoveryReportChunks(report, chunkChars)];
        expect(pieces.join('')).toBe(whole);
        for (const piece of pieces.slice(0, -1)) expect(piece.length).toBeGreaterThanOrEqual(chunkChars);
        expect(serializeRecoveryReport(parseRecoveryReport(whole, 'x'))).toBe(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('cuts a long report into pieces of about 64 Ki code units by default', () => {
    const report = reportOf(Array.from({ length: 200_000 }, (_, index) => (index % 2 === 0 ? 'pause' : 'resume')));
    const pieces = [...serializeRecoveryReportChunks(report)];
    expect(pieces.length).toBeGreaterThan(20);
    for (const piece of pieces) expect(piece.length).toBeLessThan(64 * 1024 + 64);
    expect(pieces.join('')).toBe(expectedText(report));
  });

  it('writes a compact replayed_actions sequence (any iterable with a length) as the same bytes as the array', () => {
    /** Not an array: entries are produced on iteration, as `AuditActionList` does. */
    class ActionSequence implements Iterable<string> {
      constructor(private readonly items: readonly string[]) {}
      get length(): number {
        return this.items.length;
      }
      *[Symbol.iterator](): Iterator<string> {
        yield* this.items;
      }
    }
    fc.assert(
      fc.property(reportArbitrary, fc.integer({ min: 1, max: 200 }), (report, chunkChars) => {
        const compact = { ...report, replayed_actions: new ActionSequence(report.replayed_actions) };
        expect([...serializeRecoveryReportChunks(compact, chunkChars)].join('')).toBe(expectedText(report));
      }),
      { numRuns: 100 },
    );
    const bad = { ...reportOf([]), replayed_actions: new ActionSequence(['pause', 7 as unknown as string]) };
    expect(thrownBy(() => serializeRecoveryReportChunks(bad))).toBeInstanceOf(ArtifactSerializeError);
  });

  it('writes a sequence that gives its actions as codes as the same bytes, and refuses one whose codes leave its table', () => {
    /** The actions as codes into a table of the distinct ones, as `AuditActionList` holds them. */
    function coded(table: unknown[], codes: number[]): ReplayedActionSequence {
      const entries = codes.map((code) => table[code] as string);
      return { length: entries.length, [Symbol.iterator]: () => entries[Symbol.iterator](), toCodes: () => ({ table, chunks: [Uint8Array.from(codes)] }) };
    }
    fc.assert(
      fc.property(reportArbitrary, fc.integer({ min: 1, max: 200 }), (report, chunkChars) => {
        const table = [...new Set(report.replayed_actions)];
        const compact = { ...report, replayed_actions: coded(table, report.replayed_actions.map((action) => table.indexOf(action))) };
        expect([...serializeRecoveryReportChunks(compact, chunkChars)].join('')).toBe(expectedText(report));
      }),
      { numRuns: 100 },
    );
    for (const bad of [coded(['pause'], [0, 1]), coded(['pause', 7], [0, 1])]) {
      expect(thrownBy(() => serializeRecoveryReportChunks({ ...reportOf([]), replayed_actions: bad }))).toBeInstanceOf(ArtifactSerializeError);
    }
  });

  it('validates at the call, before any piece is asked for', () => {
    const report = reportOf(['pause', 7 as unknown as string]);
    const thrown = thrownBy(() => serializeRecoveryReportChunks(report));
    expect(thrown).toBeInstanceOf(ArtifactSerializeError);
    expect(formatErrorChain(thrown)).toMatch(/^refusing to write an invalid training recovery report: .*replayed_actions\[1\]/);
  });
});

describe('recovery report validation, replayed_actions checked in place', () => {
  it('reads exactly what the schema alone reads, keeping the parsed array', () => {
    fc.assert(
      fc.property(reportArbitrary, (report) => {
        const text = serializeRecoveryReport(report);
        expect(parseRecoveryReport(text, 'x')).toEqual(recoveryReportSchema.parse(JSON.parse(text)));
      }),
      { numRuns: 100 },
    );
  });

  it('words a bad action as the schema does, on write and on read, a hole in a sparse array included', () => {
    const sparse = ['pause'];
    sparse[2] = 'resume';
    expect(formatErrorChain(thrownBy(() => serializeRecoveryReport(reportOf(sparse))))).toBe(
      'refusing to write an invalid training recovery report: field `replayed_actions[1]`: missing required field (expected a string)',
    );
    const text = JSON.stringify({ ...reportOf(['pause']), replayed_actions: ['pause', null] }, null, 2);
    expect(formatErrorChain(thrownBy(() => parseRecoveryReport(text, 'r.json')))).toBe(
      "failed to parse training recovery report 'r.json': field `replayed_actions[1]`: expected a string, got null",
    );
  });

  it('still checks every other field when the actions are all strings', () => {
    const report = { ...reportOf(['pause', 'resume']), crash_detected: 'yes' } as unknown as RecoveryReport;
    expect(formatErrorChain(thrownBy(() => serializeRecoveryReport(report)))).toBe(
      'refusing to write an invalid training recovery report: field `crash_detected`: expected a boolean, got "yes"',
    );
    expect(formatErrorChain(thrownBy(() => serializeRecoveryReport({ ...reportOf([]), replayed_actions: 'pause' } as unknown as RecoveryReport)))).toMatch(
      /^refusing to write an invalid training recovery report: field `replayed_actions`: expected an? array/,
    );
  });
});
