import { describe, expect, it } from 'vitest';
import { DEFAULT_FUZZ_CASES, FUZZ_COMMANDS, renderFuzzSummary, runFuzz } from './fuzz.js';
import { FUZZ_ARTIFACTS, MUTATION_KINDS } from './fuzz-mutations.js';
import { resolveTauPoBinary } from './tau-po-binary.js';

describe('fuzz', () => {
  it('every artifact x mutation: documented exit, one-line error naming the file, nothing changed unless it succeeded', async () => {
    const result = await runFuzz({ binary: resolveTauPoBinary(), seed: 7, cases: DEFAULT_FUZZ_CASES });
    const violations = result.violations.map((violation) => `case ${violation.caseId} ${violation.kind} ${violation.artifact} / ${violation.command}: ${violation.check}: ${violation.detail}`);
    expect(violations).toEqual([]);
    expect(result.runs).toBe(DEFAULT_FUZZ_CASES * FUZZ_COMMANDS.length);
    expect(Object.keys(result.byArtifact).sort()).toEqual([...FUZZ_ARTIFACTS].sort());
    expect(Object.keys(result.byKind).sort()).toEqual([...MUTATION_KINDS].sort());
    // The corpus has to bite: most corruptions must be refused by some command.
    const refused = Object.values(result.byArtifact).reduce((sum, counts) => sum + Object.entries(counts).filter(([outcome]) => outcome !== 'exit 0').reduce((total, [, count]) => total + count, 0), 0);
    expect(refused).toBeGreaterThan(result.runs / 4);
    expect(renderFuzzSummary(result)).toContain('0 violations');
  }, 180_000);
});
