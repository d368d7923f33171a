import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseControlState, parseRbacPolicy, parseTrainingStatus } from '@tau/schemas';
import { afterAll, describe, expect, it } from 'vitest';
import { SCENARIO_NAMES, describeScenarios, planScenario, type ScenarioName } from './scenario-catalog.js';
import { writeScenario } from './scenario-writer.js';

const SMALL = { rows: 500, checkpointBytes: 2_000_000 };

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Line numbers (1-based) whose prev_sha256 does not hash the line before. */
function brokenChainLinks(logText: string): number[] {
  const lines = logText.split('\n').filter((line, index, all) => index < all.length - 1 || line !== '');
  const broken: number[] = [];
  lines.forEach((line, index) => {
    const prev = /"prev_sha256":"([0-9a-f]{64})"/.exec(line)?.[1];
    if (index === 0) {
      if (prev !== undefined) broken.push(1);
      return;
    }
    if (prev !== sha256(lines[index - 1] as string)) broken.push(index + 1);
  });
  return broken;
}

const writtenRoots: string[] = [];
afterAll(() => {
  for (const root of writtenRoots) rmSync(root, { recursive: true, force: true });
});

function write(name: ScenarioName) {
  const scenario = writeScenario(name, mkdtempSync(join(tmpdir(), `harness-${name}-`)), SMALL);
  writtenRoots.push(scenario.root);
  return scenario;
}

describe('scenario catalog', () => {
  it('describes every scenario once, in order', () => {
    expect(describeScenarios().map((entry) => entry.name)).toEqual([...SCENARIO_NAMES]);
    for (const entry of describeScenarios()) expect(entry.summary.length).toBeGreaterThan(20);
  });

  it('plans identical bytes every time (fixtures are reproducible)', () => {
    const render = (name: ScenarioName) =>
      planScenario(name, SMALL)
        .filter((file) => typeof file.content === 'string')
        .map((file) => `${file.relativePath}\n${file.content as string}`)
        .join('\n');
    for (const name of SCENARIO_NAMES) expect(render(name)).toBe(render(name));
  });

  it.each(SCENARIO_NAMES.filter((name) => name !== 'missing-policy'))('%s writes a policy the schema accepts', (name) => {
    const scenario = write(name);
    const policy = parseRbacPolicy(readFileSync(scenario.policyPath, 'utf8'), scenario.policyPath);
    expect(policy.team_mode).toBe(true);
  });

  it('missing-policy writes no policy file', () => {
    expect(existsSync(write('missing-policy').policyPath)).toBe(false);
  });

  // Tau's binary records no audit head and chains nothing (checked below).
  const OURS = SCENARIO_NAMES.filter((name) => name !== 'big-tau-audit');

  it.each(OURS)('%s: control state parses and its audit head matches the log', (name) => {
    const scenario = write(name);
    const statePath = join(scenario.stateDir, 'control-state.json');
    const state = parseControlState(readFileSync(statePath, 'utf8'), statePath);
    const log = readFileSync(join(scenario.stateDir, 'control-audit.jsonl'), 'utf8');
    const complete = log.slice(0, log.lastIndexOf('\n') + 1).split('\n').slice(0, -1);
    const expectedRows = name === 'state-behind-audit' ? complete.length - 1 : complete.length;
    expect(state.audit_head?.row_count).toBe(expectedRows);
    expect(state.audit_head?.last_row_sha256).toBe(sha256(complete[expectedRows - 1] as string));
    if (name === 'big-audit') expect(complete).toHaveLength(SMALL.rows);
  });

  it.each(OURS.filter((name) => name !== 'tampered-audit'))('%s: every complete audit row chains to the previous one', (name) => {
    const log = readFileSync(join(write(name).stateDir, 'control-audit.jsonl'), 'utf8');
    expect(brokenChainLinks(log.slice(0, log.lastIndexOf('\n') + 1))).toEqual([]);
  });

  it("big-tau-audit: Tau's rows, keys and control state only: no chain keys, no head anywhere", () => {
    const scenario = write('big-tau-audit');
    const log = readFileSync(join(scenario.stateDir, 'control-audit.jsonl'), 'utf8');
    const rows = log.split('\n').slice(0, -1);
    expect(log.endsWith('\n')).toBe(true);
    expect(rows).toHaveLength(SMALL.rows);
    const tauKeys = ['schema_version', 'timestamp_unix_ms', 'principal', 'action', 'action_key', 'lifecycle_state', 'idempotent', 'rollback_checkpoint', 'recovery_checkpoint_source'];
    for (const row of rows) expect(Object.keys(JSON.parse(row) as object)).toEqual(tauKeys);
    const statePath = join(scenario.stateDir, 'control-state.json');
    const state = parseControlState(readFileSync(statePath, 'utf8'), statePath);
    expect(state).not.toHaveProperty('audit_head');
    expect(state.last_action).toBe((JSON.parse(rows.at(-1) as string) as { action: string }).action);
    expect(existsSync(join(scenario.stateDir, 'control-audit.head.json'))).toBe(false);
  });

  it('tampered-audit breaks the chain exactly at line 3', () => {
    const log = readFileSync(join(write('tampered-audit').stateDir, 'control-audit.jsonl'), 'utf8');
    expect(brokenChainLinks(log)).toEqual([3]);
  });

  it('malformed-audit-row has invalid JSON on line 3 only, newline-terminated', () => {
    const lines = readFileSync(join(write('malformed-audit-row').stateDir, 'control-audit.jsonl'), 'utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    const invalid = lines.slice(0, -1).flatMap((line, index) => {
      try {
        JSON.parse(line);
        return [];
      } catch {
        return [index + 1];
      }
    });
    expect(invalid).toEqual([3]);
  });

  it('torn-audit-tail ends in half a row without a newline', () => {
    const log = readFileSync(join(write('torn-audit-tail').stateDir, 'control-audit.jsonl'), 'utf8');
    const tail = log.slice(log.lastIndexOf('\n') + 1);
    expect(tail.length).toBeGreaterThan(20);
    expect(() => JSON.parse(tail)).toThrow();
  });

  it.each(['clean', 'completed-run', 'paused'] as const)('%s: training status parses', (name) => {
    const scenario = write(name);
    const path = join(scenario.stateDir, 'status.json');
    expect(parseTrainingStatus(readFileSync(path, 'utf8'), path).run_state).toBe(name === 'clean' ? 'running' : name === 'paused' ? 'paused' : 'completed');
  });

  it.each(['crashed', 'crashed-corrupt-primary', 'crashed-no-checkpoint', 'big-checkpoint'] as const)('%s has no training status', (name) => {
    expect(existsSync(join(write(name).stateDir, 'status.json'))).toBe(false);
  });

  it('checkpoints: valid in crashed, primary truncated in crashed-corrupt-primary, none in crashed-no-checkpoint', () => {
    const crashed = write('crashed').stateDir;
    for (const file of ['policy-checkpoint.json', 'policy-checkpoint.rollback.json']) {
      expect(JSON.parse(readFileSync(join(crashed, file), 'utf8')).checkpoint_version).toBe(1);
    }
    const corrupt = write('crashed-corrupt-primary').stateDir;
    expect(() => JSON.parse(readFileSync(join(corrupt, 'policy-checkpoint.json'), 'utf8'))).toThrow();
    expect(JSON.parse(readFileSync(join(corrupt, 'policy-checkpoint.rollback.json'), 'utf8')).run_id).toBe('po-run-20260101-a');
    const none = write('crashed-no-checkpoint').stateDir;
    expect(existsSync(join(none, 'policy-checkpoint.json')) || existsSync(join(none, 'policy-checkpoint.rollback.json'))).toBe(false);
  });

  it('big-checkpoint streams a valid checkpoint of the requested size', () => {
    const path = join(write('big-checkpoint').stateDir, 'policy-checkpoint.json');
    const size = statSync(path).size;
    expect(Math.abs(size - SMALL.checkpointBytes)).toBeLessThan(1000);
    const checkpoint = JSON.parse(readFileSync(path, 'utf8'));
    expect(checkpoint).toMatchObject({ checkpoint_version: 1, global_step: 1200, optimizer_step: 300 });
    expect(Object.keys(checkpoint)).toEqual(['checkpoint_version', 'run_id', 'policy_state', 'optimizer_state', 'global_step', 'optimizer_step', 'saved_at_unix_seconds']);
  });

  it('refuses a non-empty scenario directory', () => {
    const scenario = write('clean');
    expect(() => writeScenario('clean', scenario.root)).toThrow(/not empty/);
  });
});
