import type { ControlAction, ControlState, LifecycleState } from '@tau/schemas';
import { describe, expect, it } from 'vitest';
import { UsageError } from './control-errors.js';
import { decideLifecycleTransition } from './lifecycle-transition.js';

function state(lifecycle_state: LifecycleState, rollback_checkpoint: string | null = null): ControlState {
  return {
    schema_version: 1,
    updated_unix_ms: 1_700_000_000_000,
    lifecycle_state,
    last_action: 'pause',
    principal: 'local:alice',
    rollback_checkpoint,
  };
}

describe('decideLifecycleTransition', () => {
  // Every row of REFERENCE.md's action table, from a fresh (missing) control state.
  it.each<[ControlAction, string | undefined, LifecycleState, boolean | null, string | null]>([
    ['pause', undefined, 'paused', false, null],
    ['resume', undefined, 'running', true, null],
    ['cancel', undefined, 'cancelled', false, null],
    ['rollback', 'ckpt/a.json', 'rollback_requested', false, 'ckpt/a.json'],
    ['status', undefined, 'running', null, null],
  ])('%s with no control state -> %s', (action, checkpoint, lifecycle, idempotent, rollback) => {
    expect(decideLifecycleTransition(action, undefined, checkpoint)).toEqual({
      lifecycle_state: lifecycle,
      idempotent,
      rollback_checkpoint: rollback,
    });
  });

  it.each<[string, ControlAction, ControlState, string | undefined, LifecycleState, boolean | null, string | null]>([
    ['pause twice is idempotent', 'pause', state('paused'), undefined, 'paused', true, null],
    ['pause from running changes', 'pause', state('running'), undefined, 'paused', false, null],
    ['resume from paused changes', 'resume', state('paused'), undefined, 'running', false, null],
    ['resume while running is idempotent', 'resume', state('running'), undefined, 'running', true, null],
    ['cancel twice is idempotent', 'cancel', state('cancelled'), undefined, 'cancelled', true, null],
    ['resume after cancel changes', 'resume', state('cancelled'), undefined, 'running', false, null],
    [
      'rollback to the same checkpoint is idempotent',
      'rollback',
      state('rollback_requested', 'ckpt/a.json'),
      'ckpt/a.json',
      'rollback_requested',
      true,
      'ckpt/a.json',
    ],
    [
      'rollback to another checkpoint is not',
      'rollback',
      state('rollback_requested', 'ckpt/a.json'),
      'ckpt/b.json',
      'rollback_requested',
      false,
      'ckpt/b.json',
    ],
    [
      'the path is compared exactly as given',
      'rollback',
      state('rollback_requested', 'ckpt/a.json'),
      './ckpt/a.json',
      'rollback_requested',
      false,
      './ckpt/a.json',
    ],
    [
      'pause after a rollback clears the checkpoint',
      'pause',
      state('rollback_requested', 'ckpt/a.json'),
      undefined,
      'paused',
      false,
      null,
    ],
    [
      'same lifecycle but a leftover checkpoint is not idempotent',
      'pause',
      state('paused', 'ckpt/a.json'),
      undefined,
      'paused',
      false,
      null,
    ],
    ['status reports the current lifecycle', 'status', state('paused'), undefined, 'paused', null, null],
    [
      'status keeps the rollback checkpoint',
      'status',
      state('rollback_requested', 'ckpt/a.json'),
      undefined,
      'rollback_requested',
      null,
      'ckpt/a.json',
    ],
  ])('%s', (_name, action, prior, checkpoint, lifecycle, idempotent, rollback) => {
    expect(decideLifecycleTransition(action, prior, checkpoint)).toEqual({
      lifecycle_state: lifecycle,
      idempotent,
      rollback_checkpoint: rollback,
    });
  });

  it.each<[ControlAction, string | undefined]>([
    ['rollback', undefined],
    ['rollback', '  '],
    ['pause', 'ckpt/a.json'],
    ['status', 'ckpt/a.json'],
  ])('%s with checkpoint %j is a usage error', (action, checkpoint) => {
    expect(() => decideLifecycleTransition(action, undefined, checkpoint)).toThrow(UsageError);
  });
});
