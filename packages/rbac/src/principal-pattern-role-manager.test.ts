import { describe, expect, it } from 'vitest';
import { PrincipalPatternRoleManager } from './principal-pattern-role-manager.js';
import { matchesTauPattern } from './tau-pattern.js';

async function managerWithPatterns(): Promise<PrincipalPatternRoleManager> {
  const manager = new PrincipalPatternRoleManager();
  await manager.addMatchingFunc((subject, pattern) => matchesTauPattern(subject, pattern));
  return manager;
}

describe('PrincipalPatternRoleManager', () => {
  it('links a subject to the roles of every pattern it matches', async () => {
    const manager = await managerWithPatterns();
    await manager.addLink('ci:*', 'automation');
    await manager.addLink('ci:release-*', 'releaser');
    await manager.addLink('local:alice', 'operator');
    expect([...manager.rolesOf('ci:release-7')].sort()).toEqual(['automation', 'releaser']);
    expect(await manager.hasLink('ci:build', 'automation')).toBe(true);
    expect(manager.syncedHasLink('ci:build', 'releaser')).toBe(false);
    expect(await manager.getRoles('nobody')).toEqual([]);
  });

  it('matches exactly without a matching function', async () => {
    const manager = new PrincipalPatternRoleManager();
    await manager.addLink('ci:*', 'automation');
    expect(manager.rolesOf('ci:build').size).toBe(0);
    expect([...manager.rolesOf('ci:*')]).toEqual(['automation']);
  });

  it('applies patterns to the requested subject only, never between linked names', async () => {
    const manager = await managerWithPatterns();
    // As a string, "q*" matches the pattern "q**"; a principal matching "q*" must still not inherit its roles.
    await manager.addLink('q*', 'first');
    await manager.addLink('q**', 'second');
    expect([...manager.rolesOf('qx')]).toEqual(['first']);
  });

  it('follows links beyond the subject exactly, up to the hierarchy limit', async () => {
    const manager = new PrincipalPatternRoleManager(2);
    await manager.addLink('user', 'level-1');
    await manager.addLink('level-1', 'level-2');
    await manager.addLink('level-2', 'level-3');
    expect([...manager.rolesOf('user')]).toEqual(['level-1', 'level-2']);
  });

  it('forgets resolved roles when links change', async () => {
    const manager = await managerWithPatterns();
    await manager.addLink('ops-*', 'operator');
    expect(manager.syncedHasLink('ops-1', 'operator')).toBe(true);
    await manager.deleteLink('ops-*', 'operator');
    expect(manager.syncedHasLink('ops-1', 'operator')).toBe(false);
    await manager.addLink('ops-*', 'viewer');
    expect(await manager.getRoles('ops-1')).toEqual(['viewer']);
    expect(await manager.getUsers('viewer')).toEqual(['ops-*']);
    await manager.clear();
    expect(await manager.getRoles('ops-1')).toEqual([]);
  });

  it('refuses domains, which Tau policies do not have', async () => {
    const manager = new PrincipalPatternRoleManager();
    await expect(manager.addLink('a', 'b', 'domain')).rejects.toThrow('rbac role links take no domain');
  });
});
