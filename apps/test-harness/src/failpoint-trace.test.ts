import { describe, expect, it } from 'vitest';
import { parseFailpointTrace } from './failpoint-trace.js';

describe('parseFailpointTrace', () => {
  it('reads index, kind and path (paths may hold tabs)', () => {
    expect(parseFailpointTrace('1\twrite\t/s/a\n2\tfsync\t/s/a\tb\n')).toEqual([
      { index: 1, kind: 'write', path: '/s/a' },
      { index: 2, kind: 'fsync', path: '/s/a\tb' },
    ]);
  });
  it('rejects gaps and garbage', () => {
    expect(() => parseFailpointTrace('2\twrite\t/a\n')).toThrow(/out of order/);
    expect(() => parseFailpointTrace('one\twrite\t/a\n')).toThrow(/malformed/);
  });
});
