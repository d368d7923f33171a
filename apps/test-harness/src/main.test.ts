// The built bin, as a user runs it (turbo builds it before `test`).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SCENARIO_NAMES } from './scenario-catalog.js';

const bin = fileURLToPath(new URL('../dist/tau-po-harness.js', import.meta.url));

const tempRoots: string[] = [];
afterAll(() => {
  for (const root of tempRoots) rmSync(root, { recursive: true, force: true });
});

function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'harness-bin-'));
  tempRoots.push(root);
  return root;
}

function harness(args: string[]) {
  if (!existsSync(bin)) throw new Error(`build the harness first (pnpm build): '${bin}' does not exist`);
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
}

describe('tau-po-harness bin', () => {
  it('scenario --list describes every scenario', () => {
    const run = harness(['scenario', '--list']);
    expect(run.status).toBe(0);
    for (const name of SCENARIO_NAMES) expect(run.stdout).toMatch(new RegExp(`^${name}( \\[--(rows|size)\\])?$`, 'm'));
  });

  it('scenario <name> <dir> writes state/ and rbac.json and prints the command to run', () => {
    const dir = join(tempRoot(), 'crashed');
    const run = harness(['scenario', 'crashed', dir]);
    expect(run.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['rbac.json', 'state']);
    expect(run.stdout).toContain(`tau-po resume --state-dir ${join(dir, 'state')} --rbac-policy ${join(dir, 'rbac.json')} --principal local:rl-operator`);
  });

  it('big-audit takes --rows', () => {
    const dir = join(tempRoot(), 'big');
    expect(harness(['scenario', 'big-audit', dir, '--rows', '10']).status).toBe(0);
    const lines = execFileSync('wc', ['-l', join(dir, 'state', 'control-audit.jsonl')], { encoding: 'utf8' });
    expect(lines.trim().split(' ')[0]).toBe('10');
  });

  it.each([
    [['scenario', 'no-such', '/tmp/x']],
    [['scenario', 'clean', '/tmp/x', '--rows', '5']],
    [['scenario', 'big-checkpoint', '/tmp/x', '--size', 'lots']],
    [['drill', '--command', 'explode']],
    [['frobnicate']],
    [['fuzz', '--cases', '0']],
  ])('usage errors exit 2: %j', (args) => {
    const run = harness(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^tau-po-harness: /);
  });
});
