import { describe, expect, it } from 'vitest';
import { shouldUseColor } from './color-choice.js';
import { renderAuditTimeline } from './render-audit-timeline.js';

const rows = [
  { action: 'pause', timestamp_unix_ms: 1767225600000, principal: 'local:alice', lifecycle_state: 'paused', idempotent: false },
  { action: 'pause', timestamp_unix_ms: 1767225660000, principal: 'ci:bot', lifecycle_state: 'paused', idempotent: true },
  { action: 'status' },
  { action: 'rollback', timestamp_unix_ms: 1767225720000, principal: 'local:alice' },
  { action: 'resume', timestamp_unix_ms: 1767225780000, principal: 'evil\u001b[2Jname', lifecycle_state: 'running' },
];

describe('renderAuditTimeline', () => {
  it('renders one aligned line per row: when, who, action, from -> to, idempotent', () => {
    expect(renderAuditTimeline(rows, { color: false }).split('\n')).toEqual([
      '2026-01-01T00:00:00.000Z  local:alice        pause     running            -> paused',
      '2026-01-01T00:01:00.000Z  ci:bot             pause     paused             -> paused  (idempotent)',
      '(no time)                 (no principal)     status    paused             -> paused',
      '2026-01-01T00:02:00.000Z  local:alice        rollback  paused             -> rollback_requested',
      '2026-01-01T00:03:00.000Z  evil\\u{1b}[2Jname  resume    rollback_requested -> running',
    ]);
  });

  it('uses colour only when asked, and never lets row text carry escape sequences', () => {
    const plain = renderAuditTimeline(rows, { color: false });
    const coloured = renderAuditTimeline(rows, { color: true });
    expect(plain).not.toContain('\u001b');
    expect(coloured).toContain('\u001b[33mpaused');
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(plain);
  });

  it('says so when there are no rows', () => {
    expect(renderAuditTimeline([], { color: false })).toBe('(no audit rows)');
  });
});

describe('shouldUseColor', () => {
  it('colours a TTY only, never with NO_COLOR or TERM=dumb', () => {
    expect(shouldUseColor({ isTTY: true, env: {} })).toBe(true);
    expect(shouldUseColor({ isTTY: false, env: {} })).toBe(false);
    expect(shouldUseColor({ isTTY: undefined, env: {} })).toBe(false);
    expect(shouldUseColor({ isTTY: true, env: { NO_COLOR: '1' } })).toBe(false);
    expect(shouldUseColor({ isTTY: true, env: { NO_COLOR: '' } })).toBe(true);
    expect(shouldUseColor({ isTTY: true, env: { TERM: 'dumb' } })).toBe(false);
  });

  it.each([
    ['1', true],
    ['true', true],
    ['', true],
    ['3', true],
    ['0', false],
    ['false', false],
  ])('FORCE_COLOR=%j decides before the terminal, NO_COLOR and TERM', (force, expected) => {
    for (const isTTY of [true, false, undefined]) {
      for (const env of [{}, { NO_COLOR: '1' }, { TERM: 'dumb' }]) {
        expect(shouldUseColor({ isTTY, env: { ...env, FORCE_COLOR: force } })).toBe(expected);
      }
    }
  });
});
