import { describe, expect, it } from 'vitest';
import { judgeConcurrencyRun, planOperatorCommands } from './concurrency.js';
import type { TauPoRun } from './tau-po-process.js';

const run = (exitCode: number, stderr = ''): TauPoRun => ({ args: [], exitCode, signal: null, stdout: '', stderr, wallMs: 1, timedOut: false });
const row = (action: string, lifecycle_state: string, idempotent: boolean, rollback_checkpoint: string | null = null) => ({ action, lifecycle_state, idempotent, rollback_checkpoint });
const BEFORE = [row('resume', 'running', false)];

describe('planOperatorCommands', () => {
  it('deals exactly the total, evenly, reproducibly', () => {
    const plan = planOperatorCommands(1, 8, 200);
    expect(plan.map((commands) => commands.length)).toEqual(Array(8).fill(25));
    expect(planOperatorCommands(1, 8, 200)).toEqual(plan);
    expect(new Set(plan.flat().map((command) => command.action)).size).toBe(4);
  });
});

describe('judgeConcurrencyRun', () => {
  const issued = [
    { action: 'pause' as const, run: run(0) },
    { action: 'cancel' as const, run: run(5, 'state directory is busy (held by pid 1 on host h since ...)') },
    { action: 'pause' as const, run: run(0) },
  ];

  it('accepts one row per success with consistent idempotency', () => {
    const after = [...BEFORE, row('pause', 'paused', false), row('pause', 'paused', true)];
    expect(judgeConcurrencyRun(issued, BEFORE, after, [])).toEqual([]);
  });

  it('rejects a lost row', () => {
    const after = [...BEFORE, row('pause', 'paused', false)];
    expect(judgeConcurrencyRun(issued, BEFORE, after, []).map((v) => v.check)).toContain('rows-match-successes');
  });

  it('rejects a misreported idempotency (a lost update)', () => {
    const after = [...BEFORE, row('pause', 'paused', false), row('pause', 'paused', false)];
    expect(judgeConcurrencyRun(issued, BEFORE, after, []).map((v) => v.check)).toEqual(['idempotency-consistent']);
  });

  it('rejects exits other than success and busy', () => {
    const bad = [{ action: 'resume' as const, run: run(1, 'failed to parse training control state') }];
    expect(judgeConcurrencyRun(bad, BEFORE, BEFORE, []).map((v) => v.check)).toEqual(['exit-code']);
    const silentBusy = [{ action: 'resume' as const, run: run(5, '') }];
    expect(judgeConcurrencyRun(silentBusy, BEFORE, BEFORE, []).map((v) => v.check)).toEqual(['exit-code']);
  });
});
