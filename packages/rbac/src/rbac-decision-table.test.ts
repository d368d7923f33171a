import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatErrorChain } from '@tau/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRbacPolicy } from './rbac-policy-loading.js';
import type { RbacReasonCode } from './rbac-decision.js';
import { RBAC_REASON_CODES } from './rbac-decision.js';

// Every fixture is written to a real file and read through loadRbacPolicy,
// so the table exercises the whole path an operator's file takes.
const FIXTURES: Record<string, unknown> = {
  team: {
    schema_version: 1,
    team_mode: true,
    bindings: [
      { principal: 'local:alice', roles: ['operator'] },
      { principal: 'local:bob', roles: ['viewer', 'operator'] },
      { principal: 'local:carol', roles: ['restricted', 'operator'] },
      { principal: 'ci:*', roles: ['automation'] },
      { principal: 'ci:release-*', roles: ['releaser'] },
      { principal: 'svc:a*b', roles: ['literal-star'] },
      { principal: 'ghost', roles: ['undefined-role'] },
      { principal: 'mixed', roles: ['undefined-role', 'viewer'] },
      { principal: 'ünïcødé:用户', roles: ['operator'] },
      { principal: ' padded ', roles: ['operator'] },
      { principal: 'multi-user', roles: ['multi'] },
      { principal: 'order', roles: ['z-role', 'a-role'] },
      { principal: 'two-deniers', roles: ['y-deny', 'b-deny', 'operator'] },
    ],
    roles: {
      operator: { allow: ['control:rl:*'] },
      viewer: { allow: ['control:rl:status'] },
      automation: { allow: ['control:rl:status', 'control:rl:pause', 'control:rl:resume'], deny: ['control:rl:rollback'] },
      releaser: { allow: ['control:rl:rollback'] },
      'literal-star': { allow: ['control:rl:st*tus'] },
      restricted: { deny: ['control:rl:rollback', 'control:rl:cancel'] },
      multi: { allow: ['control:rl:pa*', 'control:rl:pause', '*'] },
      'z-role': { allow: ['control:rl:pause', 'control:rl:status'] },
      'a-role': { allow: ['control:rl:pause'] },
      'y-deny': { deny: ['control:rl:cancel'] },
      'b-deny': { deny: ['control:rl:c*', 'control:rl:cancel'] },
    },
  },
  everyone: {
    team_mode: true,
    bindings: [
      { principal: '*', roles: ['reader'] },
      { principal: 'admin', roles: ['admin'] },
    ],
    roles: { reader: { allow: ['control:rl:status'] }, admin: { allow: ['*'], deny: ['control:rl:rollback'] } },
  },
  'team-off': {
    schema_version: 1,
    team_mode: false,
    bindings: [{ principal: 'local:alice', roles: ['restricted'] }],
    roles: { restricted: { deny: ['*'] } },
  },
  'team-mode-absent': { schema_version: 1, bindings: [], roles: {} },
  'team-without-bindings': { team_mode: true },
};

type Expected =
  | { allowed: boolean; reason: RbacReasonCode; role?: string; pattern?: string }
  | { error: RegExp };

interface Case {
  fixture: string;
  principal: string;
  action: string;
  expected: Expected;
}

const allow = (role: string, pattern: string): Expected => ({ allowed: true, reason: 'allow_role_policy', role, pattern });
const deny = (role: string, pattern: string): Expected => ({ allowed: false, reason: 'deny_role_policy', role, pattern });
const denied = (reason: RbacReasonCode): Expected => ({ allowed: false, reason });
const allowedWithoutRole = (reason: RbacReasonCode): Expected => ({ allowed: true, reason });

const CASES: Case[] = [
  // team mode off: allows before looking at anything else, an explicit opt-out.
  { fixture: 'team-off', principal: 'local:alice', action: 'control:rl:rollback', expected: allowedWithoutRole('allow_team_mode_disabled') },
  { fixture: 'team-off', principal: '', action: 'control:rl:pause', expected: allowedWithoutRole('allow_team_mode_disabled') },
  { fixture: 'team-off', principal: 'nobody', action: 'control:rl:cancel', expected: allowedWithoutRole('allow_team_mode_disabled') },
  { fixture: 'team-mode-absent', principal: 'anyone', action: 'control:rl:pause', expected: allowedWithoutRole('allow_team_mode_disabled') },
  // missing file: fails closed, whoever asks.
  { fixture: 'missing', principal: 'local:alice', action: 'control:rl:pause', expected: denied('deny_policy_missing') },
  { fixture: 'missing', principal: '', action: 'control:rl:status', expected: denied('deny_policy_missing') },
  // blank principals.
  { fixture: 'team', principal: '', action: 'control:rl:status', expected: denied('deny_principal_missing') },
  { fixture: 'team', principal: '   ', action: 'control:rl:status', expected: denied('deny_principal_missing') },
  { fixture: 'team', principal: '\t\n', action: 'control:rl:pause', expected: denied('deny_principal_missing') },
  { fixture: 'team', principal: '\u3000\u00a0', action: 'control:rl:pause', expected: denied('deny_principal_missing') },
  { fixture: 'everyone', principal: '', action: 'control:rl:status', expected: denied('deny_principal_missing') },
  // unbound principals: matching is exact and case-sensitive, no trimming or normalisation.
  { fixture: 'team', principal: 'local:dave', action: 'control:rl:status', expected: denied('deny_unbound_principal') },
  { fixture: 'team', principal: 'local:alice ', action: 'control:rl:status', expected: denied('deny_unbound_principal') },
  { fixture: 'team', principal: 'LOCAL:ALICE', action: 'control:rl:status', expected: denied('deny_unbound_principal') },
  { fixture: 'team', principal: 'ci', action: 'control:rl:status', expected: denied('deny_unbound_principal') },
  { fixture: 'team', principal: 'padded', action: 'control:rl:status', expected: denied('deny_unbound_principal') },
  { fixture: 'team', principal: 'ünïcødé:用户'.normalize('NFD'), action: 'control:rl:status', expected: denied('deny_unbound_principal') },
  { fixture: 'team-without-bindings', principal: 'local:alice', action: 'control:rl:status', expected: denied('deny_unbound_principal') },
  // a `*` in the middle of a principal pattern is literal.
  { fixture: 'team', principal: 'svc:axxb', action: 'control:rl:status', expected: denied('deny_unbound_principal') },
  // plain allows.
  { fixture: 'team', principal: 'local:alice', action: 'control:rl:status', expected: allow('operator', 'control:rl:*') },
  { fixture: 'team', principal: 'local:alice', action: 'control:rl:rollback', expected: allow('operator', 'control:rl:*') },
  { fixture: 'team', principal: 'local:alice', action: 'control:rl:explode', expected: allow('operator', 'control:rl:*') },
  { fixture: 'team', principal: 'local:alice', action: '', expected: denied('deny_no_matching_allow') },
  // roles are consulted sorted by name: operator before viewer.
  { fixture: 'team', principal: 'local:bob', action: 'control:rl:status', expected: allow('operator', 'control:rl:*') },
  { fixture: 'team', principal: 'order', action: 'control:rl:pause', expected: allow('a-role', 'control:rl:pause') },
  { fixture: 'team', principal: 'order', action: 'control:rl:status', expected: allow('z-role', 'control:rl:status') },
  // deny in one role beats allow in another.
  { fixture: 'team', principal: 'local:carol', action: 'control:rl:rollback', expected: deny('restricted', 'control:rl:rollback') },
  { fixture: 'team', principal: 'local:carol', action: 'control:rl:cancel', expected: deny('restricted', 'control:rl:cancel') },
  { fixture: 'team', principal: 'local:carol', action: 'control:rl:pause', expected: allow('operator', 'control:rl:*') },
  { fixture: 'team', principal: 'two-deniers', action: 'control:rl:cancel', expected: deny('b-deny', 'control:rl:c*') },
  { fixture: 'team', principal: 'two-deniers', action: 'control:rl:resume', expected: allow('operator', 'control:rl:*') },
  // several bindings match one principal through patterns.
  { fixture: 'team', principal: 'ci:build', action: 'control:rl:pause', expected: allow('automation', 'control:rl:pause') },
  { fixture: 'team', principal: 'ci:build', action: 'control:rl:rollback', expected: deny('automation', 'control:rl:rollback') },
  { fixture: 'team', principal: 'ci:build', action: 'control:rl:cancel', expected: denied('deny_no_matching_allow') },
  { fixture: 'team', principal: 'ci:release-7', action: 'control:rl:rollback', expected: deny('automation', 'control:rl:rollback') },
  { fixture: 'team', principal: 'ci:release-7', action: 'control:rl:status', expected: allow('automation', 'control:rl:status') },
  { fixture: 'team', principal: 'ci:', action: 'control:rl:resume', expected: allow('automation', 'control:rl:resume') },
  // a `*` in the middle of an action pattern is literal too.
  { fixture: 'team', principal: 'svc:a*b', action: 'control:rl:status', expected: denied('deny_no_matching_allow') },
  { fixture: 'team', principal: 'svc:a*b', action: 'control:rl:st*tus', expected: allow('literal-star', 'control:rl:st*tus') },
  // roles named in bindings but not defined are skipped.
  { fixture: 'team', principal: 'ghost', action: 'control:rl:status', expected: denied('deny_no_matching_allow') },
  { fixture: 'team', principal: 'mixed', action: 'control:rl:status', expected: allow('viewer', 'control:rl:status') },
  { fixture: 'team', principal: 'mixed', action: 'control:rl:pause', expected: denied('deny_no_matching_allow') },
  // unicode and whitespace inside principals are matched as written.
  { fixture: 'team', principal: 'ünïcødé:用户', action: 'control:rl:resume', expected: allow('operator', 'control:rl:*') },
  { fixture: 'team', principal: ' padded ', action: 'control:rl:status', expected: allow('operator', 'control:rl:*') },
  // several patterns of one role match: the first in file order is reported.
  { fixture: 'team', principal: 'multi-user', action: 'control:rl:pause', expected: allow('multi', 'control:rl:pa*') },
  { fixture: 'team', principal: 'multi-user', action: 'control:rl:cancel', expected: allow('multi', '*') },
  // a `*` binding binds everyone.
  { fixture: 'everyone', principal: 'anyone at all', action: 'control:rl:status', expected: allow('reader', 'control:rl:status') },
  { fixture: 'everyone', principal: 'anyone at all', action: 'control:rl:pause', expected: denied('deny_no_matching_allow') },
  { fixture: 'everyone', principal: 'admin', action: 'control:rl:pause', expected: allow('admin', '*') },
  { fixture: 'everyone', principal: 'admin', action: 'control:rl:rollback', expected: deny('admin', 'control:rl:rollback') },
  // files that are not a policy: an error naming the path, never a decision.
  { fixture: 'directory', principal: 'local:alice', action: 'control:rl:status', expected: { error: /^failed to read rbac policy file .*directory\.json: the path is a directory, not a regular file$/ } },
  { fixture: 'invalid-json', principal: 'local:alice', action: 'control:rl:status', expected: { error: /^failed to parse rbac policy file .*invalid-json\.json: / } },
  { fixture: 'empty-file', principal: 'local:alice', action: 'control:rl:status', expected: { error: /^failed to parse rbac policy file .*empty-file\.json: / } },
  { fixture: 'duplicate-principal', principal: 'local:alice', action: 'control:rl:status', expected: { error: /^duplicate rbac principal binding 'local:alice'; merge roles into one binding$/ } },
  { fixture: 'version-2', principal: 'local:alice', action: 'control:rl:status', expected: { error: /^unsupported rbac schema version 2 \(expected 1\)$/ } },
];

let directory: string;

function fixturePath(name: string): string {
  return join(directory, `${name}.json`);
}

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'tau-rbac-table-'));
  for (const [name, policy] of Object.entries(FIXTURES)) writeFileSync(fixturePath(name), JSON.stringify(policy, null, 2));
  mkdirSync(fixturePath('directory'));
  writeFileSync(fixturePath('invalid-json'), '{"team_mode": true,');
  writeFileSync(fixturePath('empty-file'), '');
  writeFileSync(
    fixturePath('duplicate-principal'),
    JSON.stringify({
      team_mode: true,
      bindings: [
        { principal: 'local:alice', roles: ['a'] },
        { principal: 'local:alice', roles: ['b'] },
      ],
      roles: { a: { allow: ['*'] }, b: { allow: ['*'] } },
    }),
  );
  writeFileSync(fixturePath('version-2'), JSON.stringify({ schema_version: 2, team_mode: true }));
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('decision table', () => {
  it('has at least 40 cases and covers every reason code', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    const covered = new Set(CASES.flatMap((c) => ('reason' in c.expected ? [c.expected.reason] : [])));
    expect([...covered].sort()).toEqual([...RBAC_REASON_CODES].sort());
  });

  it.each(CASES.map((c) => [`${c.fixture}: ${JSON.stringify(c.principal)} ${c.action || '(empty action)'}`, c] as const))(
    '%s',
    async (_label, { fixture, principal, action, expected }) => {
      if ('error' in expected) {
        const failure = await loadRbacPolicy(fixturePath(fixture)).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(Error);
        expect(formatErrorChain(failure)).toMatch(expected.error);
        return;
      }
      const authorizer = await loadRbacPolicy(fixturePath(fixture));
      const decision = await authorizer.decide(principal, action);
      expect(decision).toEqual({
        allowed: expected.allowed,
        reason_code: expected.reason,
        matched_role: expected.role ?? null,
        matched_pattern: expected.pattern ?? null,
      });
      expect(authorizer.decideSync(principal, action)).toEqual(decision);
    },
  );
});
