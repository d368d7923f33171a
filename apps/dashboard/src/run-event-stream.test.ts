import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from './run-event-stream.js';

describe('reconnectDelayMs', () => {
  it.each([
    [0, 250],
    [1, 500],
    [2, 1000],
    [3, 2000],
    [4, 4000],
    [5, 5000],
    [50, 5000],
    [Number.MAX_SAFE_INTEGER, 5000],
  ])('attempt %i waits %i ms', (attempt, delay) => {
    expect(reconnectDelayMs(attempt)).toBe(delay);
  });

  it('never shrinks from one attempt to the next', () => {
    for (let attempt = 0; attempt < 100; attempt += 1) expect(reconnectDelayMs(attempt + 1)).toBeGreaterThanOrEqual(reconnectDelayMs(attempt));
  });
});
