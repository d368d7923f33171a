import { describe, expect, it } from 'vitest';
import { drillCases, DRILL_COMMANDS } from './drill-plan.js';

describe('drillCases', () => {
  it('covers every mutating command, and filters', () => {
    expect(new Set(drillCases().map((drillCase) => drillCase.command))).toEqual(new Set(DRILL_COMMANDS));
    expect(drillCases(['cancel']).every((drillCase) => drillCase.command === 'cancel')).toBe(true);
  });
});
