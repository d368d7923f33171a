import { STATE_DIR_LOCK_FILE, StateDirBusyError } from '@tau/durable-fs';
import { formatErrorChain } from '@tau/schemas';
import { describe, expect, it } from 'vitest';
import {
  AuthorizationDeniedError,
  AuthorizationUnavailableError,
  exitCodeForError,
  RecoveryGuardrailError,
  RollbackCheckpointLoadError,
  UsageError,
} from './control-errors.js';

const busy = (): StateDirBusyError =>
  new StateDirBusyError(
    {
      pid: 42,
      host: 'h',
      since_unix_ms: 0,
      age_ms: 0,
      command: 'pause',
      boot_id: null,
      pid_namespace: null,
      start_time_ticks: null,
      verdict: 'alive',
      reason: 'holder-running',
      explanation: 'its process is running',
      stale: false,
      complete: true,
    },
    `/x/${STATE_DIR_LOCK_FILE}`,
  );

class WrappingError extends Error {}

describe('exitCodeForError', () => {
  it.each<[string, unknown, number]>([
    ['usage', new UsageError('two actions'), 2],
    ['denied', new AuthorizationDeniedError('pause', { cause: new Error('unauthorized') }), 3],
    ['policy unreadable', new AuthorizationUnavailableError('pause', { cause: new Error('bad json') }), 1],
    ['guardrail', new RecoveryGuardrailError('p', 'f', { cause: new Error('both failed') }), 4],
    ['busy', busy(), 5],
    ['busy deep in a chain', new WrappingError('lock', { cause: new WrappingError('x', { cause: busy() }) }), 5],
    ['rollback checkpoint', new RollbackCheckpointLoadError('c.json', { cause: new Error('x') }), 1],
    ['plain error', new Error('boom'), 1],
    ['not an error', 'boom', 1],
    ['outermost known code wins', new UsageError('outer', { cause: busy() }), 2],
  ])('%s -> %i', (_name, error, code) => {
    expect(exitCodeForError(error)).toBe(code);
  });

  it('stops on a cause cycle', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.assign(a, { cause: b });
    expect(exitCodeForError(a)).toBe(1);
  });
});

describe('messages', () => {
  it.each<[Error, string]>([
    [
      new AuthorizationDeniedError('resume', { cause: new Error('unauthorized rl lifecycle action') }),
      "failed to authorize prompt-optimization lifecycle control action 'resume': unauthorized rl lifecycle action",
    ],
    [
      new RecoveryGuardrailError('d/policy-checkpoint.json', 'd/policy-checkpoint.rollback.json', {
        cause: new Error('primary checkpoint load failed: a; fallback checkpoint load failed: b'),
      }),
      "resume recovery guardrail: crash detected but checkpoint restore failed (primary='d/policy-checkpoint.json' " +
        "fallback='d/policy-checkpoint.rollback.json'): primary checkpoint load failed: a; fallback checkpoint load failed: b",
    ],
    [
      new RollbackCheckpointLoadError('c.json', { cause: new Error('read checkpoint c.json') }),
      "failed to load rollback checkpoint 'c.json': read checkpoint c.json",
    ],
  ])('%s', (error, expected) => {
    expect(formatErrorChain(error)).toBe(expected);
  });
});
