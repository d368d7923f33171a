// Type-level checks run by `pnpm typecheck` (tsc compiles tests); the runtime parts keep the values honest.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { readFixture } from './fixture-files.test-support.js';
import {
  parseRecoveryReport,
  parseRbacPolicy,
  policyCheckpointHeaderSchema,
  type CheckpointSource,
  type ControlState,
  type PolicyCheckpointHeader,
  type RbacPolicy,
  type RecoveryReport,
} from './index.js';

describe('inferred types', () => {
  it('give Option fields as `T | null` after defaults apply', () => {
    const report = parseRecoveryReport(readFixture('recovery-report.no-crash.tau.json'), 'x');
    expectTypeOf(report.checkpoint_source).toEqualTypeOf<CheckpointSource | null>();
    expectTypeOf<RecoveryReport['checkpoint_global_step']>().toEqualTypeOf<number | null>();
    expectTypeOf<ControlState['rollback_checkpoint']>().toEqualTypeOf<string | null>();
    expect(report.checkpoint_source).toBeNull();
  });

  it('fill the RBAC policy defaults in the parsed value and the type', () => {
    const policy = parseRbacPolicy('{}', 'x');
    expectTypeOf<RbacPolicy['team_mode']>().toEqualTypeOf<boolean>();
    expect(policy).toEqual({ schema_version: 1, team_mode: false, bindings: [], roles: {} });
  });

  it('keep the named fields of a checkpoint header without the two state objects', () => {
    const checkpoint = policyCheckpointHeaderSchema.parse(JSON.parse(readFixture('policy-checkpoint.tau.json')));
    const { policy_state: _policy, optimizer_state: _optimizer, ...rest } = checkpoint;
    const header: PolicyCheckpointHeader = rest;
    expectTypeOf(header.run_id).toEqualTypeOf<string>();
    expectTypeOf(header.global_step).toEqualTypeOf<number>();
    expect(header).toEqual({ checkpoint_version: 1, run_id: 'run-2024-05-31-a', global_step: 4200, optimizer_step: 525, saved_at_unix_seconds: 1717171500 });
  });

  it('reject a blank run_id in a checkpoint', () => {
    const checkpoint = { ...JSON.parse(readFixture('policy-checkpoint.tau.json')), run_id: '  ' };
    expect(policyCheckpointHeaderSchema.safeParse(checkpoint).error?.issues[0]).toMatchObject({ path: ['run_id'], message: 'must not be blank' });
  });
});
