import type { ControlState, LifecycleState, TrainingStatus } from '@tau/schemas';
import { describe, expect, it } from 'vitest';
import { detectCrash } from './crash-detection.js';

function state(lifecycle_state: LifecycleState): ControlState {
  return {
    schema_version: 1,
    updated_unix_ms: 1,
    lifecycle_state,
    last_action: 'resume',
    principal: 'local:alice',
    rollback_checkpoint: null,
  };
}

function status(run_state: string): TrainingStatus {
  return {
    schema_version: 1,
    updated_unix_ms: 1,
    run_state,
    model_ref: 'm',
    store_path: 's',
    total_rollouts: 0,
    succeeded: 0,
    failed: 0,
    cancelled: 0,
  };
}

describe('detectCrash', () => {
  // The whole truth table of REFERENCE.md "Resume" step 2.
  it.each<[LifecycleState | 'missing', string | 'missing', boolean]>([
    ['missing', 'missing', false],
    ['missing', 'running', false],
    ['missing', 'completed', false],
    ['running', 'missing', true],
    ['running', 'running', true],
    ['running', 'queued', true],
    ['running', 'completed', false],
    ['running', 'failed', false],
    ['running', 'cancelled', false],
    ['running', 'Completed', true],
    ['paused', 'missing', false],
    ['paused', 'running', false],
    ['cancelled', 'running', false],
    ['rollback_requested', 'running', false],
    ['rollback_requested', 'missing', false],
  ])('control=%s training=%s -> %s', (lifecycle, runState, expected) => {
    const controlState = lifecycle === 'missing' ? undefined : state(lifecycle);
    const trainingStatus = runState === 'missing' ? undefined : status(runState);
    expect(detectCrash(controlState, trainingStatus)).toBe(expected);
  });
});
