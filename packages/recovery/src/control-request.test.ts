import { describe, expect, it } from 'vitest';
import { UsageError } from './control-errors.js';
import { parseControlRequest } from './control-request.js';

const BASE = { stateDir: '.tau/training', rbacPolicyPath: '.tau/security/rbac.json' };

describe('parseControlRequest', () => {
  it.each<[string, Record<string, unknown>]>([
    ['status', { action: 'status' }],
    ['pause with a principal', { action: 'pause', principal: 'local:ops' }],
    ['rollback with a checkpoint', { action: 'rollback', rollbackCheckpoint: 'c.json' }],
    ['resume dry run', { action: 'resume', dryRun: true }],
  ])('accepts %s', (_name, fields) => {
    expect(parseControlRequest({ ...BASE, ...fields })).toEqual({ ...BASE, ...fields });
  });

  it.each<[string, unknown, RegExp]>([
    ['an unknown action', { ...BASE, action: 'restart' }, /action/],
    ['no state dir', { action: 'status', rbacPolicyPath: 'p' }, /stateDir/],
    ['an empty state dir', { ...BASE, stateDir: '', action: 'status' }, /stateDir/],
    ['rollback without checkpoint', { ...BASE, action: 'rollback' }, /requires a checkpoint/],
    ['rollback with a blank checkpoint', { ...BASE, action: 'rollback', rollbackCheckpoint: ' ' }, /requires a checkpoint/],
    ['a checkpoint for pause', { ...BASE, action: 'pause', rollbackCheckpoint: 'c.json' }, /only accepted by the rollback/],
    ['dry run of pause', { ...BASE, action: 'pause', dryRun: true }, /only accepted by resume/],
    ['not an object', 'resume', /invalid control request/],
  ])('rejects %s', (_name, input, message) => {
    expect(() => parseControlRequest(input)).toThrow(UsageError);
    expect(() => parseControlRequest(input)).toThrow(message);
  });
});
