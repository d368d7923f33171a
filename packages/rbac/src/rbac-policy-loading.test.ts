import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatErrorChain } from '@tau/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLE_RBAC_POLICY, RbacPolicyError, RbacPolicyMissingError } from './rbac-policy-errors.js';
import { loadRbacPolicy } from './rbac-policy-loading.js';
import { UnauthorizedActionError } from './unauthorized-action-error.js';

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'tau-rbac-load-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

async function loadFailure(path: string): Promise<RbacPolicyError> {
  const failure = await loadRbacPolicy(path).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(RbacPolicyError);
  expect((failure as RbacPolicyError).policyPath).toBe(path);
  return failure as RbacPolicyError;
}

describe('loadRbacPolicy with no file', () => {
  it('denies everything and says where it looked and how to create a policy', async () => {
    const path = join(directory, 'security', 'rbac.json');
    const authorizer = await loadRbacPolicy(path);
    expect(authorizer.policyMissing).toBe(true);
    expect(authorizer.policyPath).toBe(path);
    expect(authorizer.decideSync('local:alice', 'control:rl:status')).toEqual({
      allowed: false,
      reason_code: 'deny_policy_missing',
      matched_role: null,
      matched_pattern: null,
    });
    const message = authorizer.missingPolicyError?.message ?? '';
    expect(message).toContain(`'${path}' does not exist`);
    expect(message).toContain('--rbac-policy <file>');
    expect(message).toContain(JSON.stringify(EXAMPLE_RBAC_POLICY));
  });

  it('offers an example that is itself a policy allowing its principal', async () => {
    const path = join(directory, 'rbac.json');
    writeFileSync(path, JSON.stringify(EXAMPLE_RBAC_POLICY));
    const authorizer = await loadRbacPolicy(path);
    expect(authorizer.decideSync('local:alice', 'control:rl:rollback').reason_code).toBe('allow_role_policy');
  });

  it('fails a control action with the denial caused by the missing-policy explanation', async () => {
    const path = join(directory, 'rbac.json');
    const authorizer = await loadRbacPolicy(path);
    let failure: unknown;
    try {
      authorizer.assertAuthorized('local:alice', 'control:rl:pause');
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(UnauthorizedActionError);
    expect((failure as Error).cause).toBeInstanceOf(RbacPolicyMissingError);
    expect(formatErrorChain(failure)).toMatch(
      new RegExp(
        '^unauthorized rl lifecycle action: principal=local:alice action=control:rl:pause reason_code=deny_policy_missing: ' +
          `rbac policy file '${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' does not exist`,
      ),
    );
  });
});

describe('loadRbacPolicy with a file', () => {
  it('allows everything when the file says team_mode false', async () => {
    const path = join(directory, 'rbac.json');
    writeFileSync(path, JSON.stringify({ schema_version: 1, team_mode: false }));
    const authorizer = await loadRbacPolicy(path);
    expect(authorizer.policyMissing).toBe(false);
    expect(authorizer.missingPolicyError).toBeNull();
    expect(authorizer.assertAuthorized('anyone', 'control:rl:rollback').reason_code).toBe('allow_team_mode_disabled');
  });

  it('throws the denial without a cause when a policy denies', async () => {
    const path = join(directory, 'rbac.json');
    writeFileSync(path, JSON.stringify({ team_mode: true, bindings: [], roles: {} }));
    const authorizer = await loadRbacPolicy(path);
    expect(() => authorizer.assertAuthorized('local:alice', 'control:rl:pause')).toThrow(
      /^unauthorized rl lifecycle action: principal=local:alice action=control:rl:pause reason_code=deny_unbound_principal$/,
    );
  });

  it('follows a symbolic link to a policy', async () => {
    const target = join(directory, 'real.json');
    writeFileSync(target, JSON.stringify({ team_mode: false }));
    const link = join(directory, 'rbac.json');
    symlinkSync(target, link);
    expect((await loadRbacPolicy(link)).decideSync('x', 'control:rl:pause').reason_code).toBe('allow_team_mode_disabled');
  });
});

describe('loadRbacPolicy with an unusable path', () => {
  it('rejects a directory', async () => {
    const path = join(directory, 'rbac.json');
    mkdirSync(path);
    const failure = await loadFailure(path);
    expect(formatErrorChain(failure)).toBe(`failed to read rbac policy file ${path}: the path is a directory, not a regular file`);
  });

  it('rejects a dangling symbolic link instead of calling the policy missing', async () => {
    const path = join(directory, 'rbac.json');
    symlinkSync(join(directory, 'gone.json'), path);
    const failure = await loadFailure(path);
    expect(formatErrorChain(failure)).toBe(
      `failed to read rbac policy file ${path}: the path is a symbolic link to a file that does not exist`,
    );
  });

  it('rejects a path below a regular file', async () => {
    const file = join(directory, 'file');
    writeFileSync(file, '');
    const path = join(file, 'rbac.json');
    const failure = await loadFailure(path);
    expect(formatErrorChain(failure)).toBe(`failed to read rbac policy file ${path}: a parent of the path is not a directory`);
  });

  it.skipIf(process.getuid?.() === 0)('rejects a file it may not read', async () => {
    const path = join(directory, 'rbac.json');
    writeFileSync(path, '{}');
    chmodSync(path, 0o000);
    const failure = await loadFailure(path);
    expect(formatErrorChain(failure)).toBe(`failed to read rbac policy file ${path}: permission denied`);
  });

  it('rejects bytes that are not UTF-8', async () => {
    const path = join(directory, 'rbac.json');
    writeFileSync(path, Buffer.from([0x7b, 0xff, 0x7d]));
    const failure = await loadFailure(path);
    expect(formatErrorChain(failure)).toBe(`failed to read rbac policy file ${path}: the file is not valid UTF-8`);
  });

  it.each([
    ['invalid JSON', '{"team_mode": true,'],
    ['an empty file', ''],
    ['a JSON array', '[]'],
    ['a BOM before the JSON', '\uFEFF{"team_mode": true}'],
    ['a binding principal of the wrong type', '{"team_mode": true, "bindings": [{"principal": 5, "roles": ["x"]}]}'],
    ['team_mode as a string', '{"team_mode": "yes"}'],
  ])('rejects %s with a parse error naming the path', async (_label, text) => {
    const path = join(directory, 'rbac.json');
    writeFileSync(path, text);
    const failure = await loadFailure(path);
    expect(failure.problem).toBe('parse');
    const chain = formatErrorChain(failure);
    expect(chain.startsWith(`failed to parse rbac policy file ${path}: `)).toBe(true);
    // The path is named once: the cause explains, it does not repeat.
    expect(chain.split(path).length).toBe(2);
  });

  it('rejects another schema version naming the path', async () => {
    const path = join(directory, 'rbac.json');
    writeFileSync(path, JSON.stringify({ schema_version: 3, team_mode: true }));
    const failure = await loadFailure(path);
    expect(formatErrorChain(failure)).toBe(
      `unsupported rbac schema version 3 (expected 1)`,
    );
  });

  it('rejects a policy breaking a rule even when team mode is off', async () => {
    const path = join(directory, 'rbac.json');
    writeFileSync(path, JSON.stringify({ team_mode: false, roles: { idle: {} } }));
    const failure = await loadFailure(path);
    expect(formatErrorChain(failure)).toBe(
      `rbac role 'idle' must include at least one allow or deny rule`,
    );
  });
});
