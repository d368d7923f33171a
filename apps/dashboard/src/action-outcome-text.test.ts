import type { ControlState } from '@tau/schemas';
import { describe, expect, it } from 'vitest';
import { describeActionOutcome } from './action-outcome-text.js';

const running = { lifecycle_state: 'running' } as ControlState;
const plain = { control_state: running, idempotent: false, recovery_crash_detected: null, recovery_checkpoint_source: null, checkpoint_run_id: null };

describe('describeActionOutcome', () => {
  it.each([
    ['a change', plain, 'Pause done: lifecycle is now running.'],
    ['no change', { ...plain, idempotent: true }, 'Pause done: lifecycle is now running (it already was: nothing changed).'],
    [
      'a crash recovered, though the lifecycle was already running',
      { ...plain, idempotent: true, recovery_crash_detected: true, recovery_checkpoint_source: 'fallback' as const, checkpoint_run_id: 'po-run-1' },
      'Pause done: lifecycle is now running; the crash was recovered from the fallback checkpoint (run po-run-1).',
    ],
    [
      'a crash recovered, run id unknown',
      { ...plain, recovery_crash_detected: true, recovery_checkpoint_source: 'primary' as const },
      'Pause done: lifecycle is now running; the crash was recovered from the primary checkpoint.',
    ],
    ['no crash found by resume', { ...plain, recovery_crash_detected: false, recovery_checkpoint_source: null }, 'Pause done: lifecycle is now running.'],
    ['no control state in the answer', { ...plain, control_state: null }, 'Pause done: lifecycle is now unknown.'],
  ])('%s', (_name, report, text) => {
    expect(describeActionOutcome('Pause', report)).toBe(text);
  });
});
