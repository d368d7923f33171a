import { describe, expect, it } from 'vitest';
import { FUZZ_ARTIFACTS, HUGE_INTEGER_LITERAL, MUTATION_KINDS, generateFuzzCases, mutateFileBytes, type MutationParameters } from './fuzz-mutations.js';

const PRETTY = Buffer.from(JSON.stringify({ schema_version: 1, updated_unix_ms: 1000, lifecycle_state: 'running', rollback_checkpoint: null }, null, 2));
const LINES = Buffer.from('{"schema_version":1,"action":"pause","timestamp_unix_ms":5}\n{"schema_version":1,"action":"resume","timestamp_unix_ms":6}\n');
const PARAMETERS: MutationParameters = { position: 0.5, bit: 3, pick: 1 };

describe('generateFuzzCases', () => {
  it('covers every artifact x kind pair in one lap of the grid', () => {
    const cases = generateFuzzCases(7, FUZZ_ARTIFACTS.length * MUTATION_KINDS.length);
    const pairs = new Set(cases.map((fuzzCase) => `${fuzzCase.artifact}|${fuzzCase.kind}`));
    expect(pairs.size).toBe(FUZZ_ARTIFACTS.length * MUTATION_KINDS.length);
  });

  it('varies artifacts and kinds even in a few cases', () => {
    const cases = generateFuzzCases(7, 10);
    expect(new Set(cases.map((fuzzCase) => fuzzCase.kind)).size).toBe(10);
    expect(new Set(cases.map((fuzzCase) => fuzzCase.artifact)).size).toBeGreaterThanOrEqual(6);
  });

  it('is reproducible from the seed and differs between seeds', () => {
    expect(generateFuzzCases(3, 20)).toEqual(generateFuzzCases(3, 20));
    expect(generateFuzzCases(3, 20).map((fuzzCase) => fuzzCase.parameters)).not.toEqual(generateFuzzCases(4, 20).map((fuzzCase) => fuzzCase.parameters));
  });
});

describe('mutateFileBytes', () => {
  it('truncates at the drawn position', () => {
    expect(mutateFileBytes(PRETTY, 'truncate', PARAMETERS, false)).toEqual(PRETTY.subarray(0, Math.floor(PRETTY.length / 2)));
  });

  it('flips exactly one bit', () => {
    const flipped = mutateFileBytes(PRETTY, 'bit-flip', PARAMETERS, false);
    const differing = [...flipped].flatMap((byte, index) => (byte === PRETTY[index] ? [] : [byte ^ (PRETTY[index] as number)]));
    expect(differing).toEqual([1 << 3]);
  });

  it('prefixes a UTF-8 BOM and empties', () => {
    expect([...mutateFileBytes(PRETTY, 'bom', PARAMETERS, false).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(mutateFileBytes(PRETTY, 'empty', PARAMETERS, false)).toHaveLength(0);
  });

  it('changes one field to another JSON type', () => {
    const mutated = JSON.parse(mutateFileBytes(PRETTY, 'wrong-type', PARAMETERS, false).toString());
    expect(mutated.updated_unix_ms).toBe('1000');
    expect(mutated.lifecycle_state).toBe('running');
  });

  it('writes an integer literal beyond 2^53-1 into a numeric field', () => {
    const text = mutateFileBytes(PRETTY, 'huge-int', PARAMETERS, false).toString();
    expect(text).toContain(`"updated_unix_ms": ${HUGE_INTEGER_LITERAL}`);
  });

  it('sets the schema version to 2, and checkpoint_version in a checkpoint', () => {
    expect(JSON.parse(mutateFileBytes(PRETTY, 'wrong-version', PARAMETERS, false).toString()).schema_version).toBe(2);
    const checkpoint = Buffer.from(JSON.stringify({ checkpoint_version: 1, run_id: 'r' }));
    expect(JSON.parse(mutateFileBytes(checkpoint, 'wrong-version', PARAMETERS, false).toString()).checkpoint_version).toBe(2);
  });

  it('mutates one row of a JSON-lines log and keeps the others byte for byte', () => {
    const lines = mutateFileBytes(LINES, 'huge-int', PARAMETERS, true).toString().split('\n');
    const original = LINES.toString().split('\n');
    expect(lines).toHaveLength(original.length);
    expect(lines.filter((line, index) => line !== original[index])).toHaveLength(1);
    expect(lines.join('\n')).toContain(HUGE_INTEGER_LITERAL);
  });

  it('falls back to a bit flip when the file is not JSON', () => {
    const garbage = Buffer.from('not json at all');
    const mutated = mutateFileBytes(garbage, 'wrong-type', PARAMETERS, false);
    expect(mutated).not.toEqual(garbage);
    expect(mutated).toHaveLength(garbage.length);
  });
});
