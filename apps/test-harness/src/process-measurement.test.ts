import { describe, expect, it } from 'vitest';
import { median, parseGnuTimeOutput } from './process-measurement.js';

describe('process measurement', () => {
  it('parses GNU time output after the child stderr', () => {
    expect(parseGnuTimeOutput('Command exited with non-zero status 1\n0.05 41236\n')).toEqual({ seconds: 0.05, peakRssKb: 41236 });
    expect(parseGnuTimeOutput('garbage')).toBeUndefined();
  });
  it('takes medians', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
