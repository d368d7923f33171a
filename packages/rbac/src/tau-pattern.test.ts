import { describe, expect, it } from 'vitest';
import { matchesTauPattern } from './tau-pattern.js';

describe('matchesTauPattern', () => {
  it.each([
    ['control:rl:pause', '*', true],
    ['', '*', true],
    ['control:rl:pause', 'control:rl:*', true],
    ['control:rl:', 'control:rl:*', true],
    ['control:rl', 'control:rl:*', false],
    ['control:rl:pause', 'control:rl:pause', true],
    ['control:rl:pause', 'control:rl:paus', false],
    ['control:rl:pause', 'control:rl:pause ', false],
    ['control:rl:status', 'control:rl:st*tus', false],
    ['control:rl:st*tus', 'control:rl:st*tus', true],
    ['a*b-and-more', 'a*b*', true],
    ['axb-and-more', 'a*b*', false],
    ['control:rl:pause', '**', false],
    ['*anything', '**', true],
    ['', '', true],
    ['x', '', false],
  ])('%j against %j is %s', (value, pattern, expected) => {
    expect(matchesTauPattern(value, pattern)).toBe(expected);
  });
});
