import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRbacPolicyCached } from './rbac-policy-cache.js';

const policy = (role: string) =>
  JSON.stringify({
    schema_version: 1,
    team_mode: true,
    bindings: [{ principal: 'ci:bot', roles: [role] }],
    roles: { aaaa: { allow: ['control:rl:pause'] }, bbbb: { allow: ['control:rl:cancel'] } },
  });

let dir: string;
let policyPath: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-rbac-cache-'));
  policyPath = path.join(dir, 'rbac.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('loadRbacPolicyCached', () => {
  it('reuses the authorizer of an unchanged file', async () => {
    fs.writeFileSync(policyPath, policy('aaaa'));
    expect(await loadRbacPolicyCached(policyPath)).toBe(await loadRbacPolicyCached(policyPath));
  });

  it('an edit in place of the same size applies to the next call', async () => {
    fs.writeFileSync(policyPath, policy('aaaa'));
    expect((await loadRbacPolicyCached(policyPath)).decideSync('ci:bot', 'control:rl:pause').allowed).toBe(true);
    fs.writeFileSync(policyPath, policy('bbbb'));
    const after = await loadRbacPolicyCached(policyPath);
    expect(after.decideSync('ci:bot', 'control:rl:pause').allowed).toBe(false);
    expect(after.decideSync('ci:bot', 'control:rl:cancel').allowed).toBe(true);
  });

  it('an atomic replace applies to the next call', async () => {
    fs.writeFileSync(policyPath, policy('aaaa'));
    await loadRbacPolicyCached(policyPath);
    fs.writeFileSync(`${policyPath}.tmp`, policy('bbbb'));
    fs.renameSync(`${policyPath}.tmp`, policyPath);
    expect((await loadRbacPolicyCached(policyPath)).decideSync('ci:bot', 'control:rl:cancel').allowed).toBe(true);
  });

  it('a removed file fails closed at once; a directory fails as loadRbacPolicy does', async () => {
    fs.writeFileSync(policyPath, policy('aaaa'));
    await loadRbacPolicyCached(policyPath);
    fs.rmSync(policyPath);
    expect((await loadRbacPolicyCached(policyPath)).policyMissing).toBe(true);
    fs.mkdirSync(policyPath);
    await expect(loadRbacPolicyCached(policyPath)).rejects.toThrow(/^failed to read rbac policy file /);
  });
});
