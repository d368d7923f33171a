import { controlActionSchema } from '@tau/schemas';
import { describe, expect, it } from 'vitest';
import { CONTROL_ACTION_KEYS, actionKeyFor } from './control-action-keys.js';

describe('control action keys', () => {
  it('are the five control:rl keys Tau uses', () => {
    expect(Object.values(CONTROL_ACTION_KEYS).sort()).toEqual([
      'control:rl:cancel',
      'control:rl:pause',
      'control:rl:resume',
      'control:rl:rollback',
      'control:rl:status',
    ]);
  });

  it('map every control action to control:rl:<action>', () => {
    for (const action of controlActionSchema.options) {
      expect(actionKeyFor(action)).toBe(`control:rl:${action}`);
    }
  });
});
