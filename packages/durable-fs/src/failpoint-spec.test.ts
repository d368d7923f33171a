import { describe, expect, it } from 'vitest';
import { decideFailpointAction, FailpointSpecError, parseFailpointSpec } from './failpoint-spec.js';

describe('parseFailpointSpec', () => {
  it('is off when unset or empty', () => {
    expect(parseFailpointSpec(undefined)).toBeUndefined();
    expect(parseFailpointSpec('')).toBeUndefined();
  });

  it('reads crash@N and torn@N', () => {
    expect(parseFailpointSpec('crash@1')).toEqual({ mode: 'crash', at: 1 });
    expect(parseFailpointSpec('torn@17')).toEqual({ mode: 'torn', at: 17 });
  });

  it.each(['crash', 'crash@0', 'crash@-1', 'crash@x', 'tear@3', 'crash@1.5', 'crash@99999999999999999999'])(
    'rejects %j rather than ignoring it',
    (value) => {
      expect(() => parseFailpointSpec(value)).toThrow(FailpointSpecError);
      expect(() => parseFailpointSpec(value)).toThrow(/invalid TAU_PO_FAILPOINT/);
    },
  );
});

describe('decideFailpointAction', () => {
  it('proceeds when off or on another operation', () => {
    expect(decideFailpointAction(undefined, 1, 'write')).toBe('proceed');
    expect(decideFailpointAction({ mode: 'crash', at: 2 }, 1, 'write')).toBe('proceed');
    expect(decideFailpointAction({ mode: 'crash', at: 2 }, 3, 'write')).toBe('proceed');
  });

  it('crashes on the chosen operation', () => {
    expect(decideFailpointAction({ mode: 'crash', at: 2 }, 2, 'rename')).toBe('crash');
    expect(decideFailpointAction({ mode: 'crash', at: 2 }, 2, 'write')).toBe('crash');
  });

  it('tears writes and appends, and crashes on operations without data', () => {
    expect(decideFailpointAction({ mode: 'torn', at: 4 }, 4, 'write')).toBe('tear');
    expect(decideFailpointAction({ mode: 'torn', at: 4 }, 4, 'append')).toBe('tear');
    expect(decideFailpointAction({ mode: 'torn', at: 4 }, 4, 'fsync')).toBe('crash');
    expect(decideFailpointAction({ mode: 'torn', at: 4 }, 4, 'rename')).toBe('crash');
    expect(decideFailpointAction({ mode: 'torn', at: 4 }, 4, 'truncate')).toBe('crash');
  });
});
