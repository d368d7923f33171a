// Each scenario, given to the real CLI, does what `scenario --list` says.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkAfterSuccess } from './crash-invariants.js';
import { OPERATOR_PRINCIPAL, VIEWER_PRINCIPAL } from './rbac-policy-fixture.js';
import type { ScenarioName } from './scenario-catalog.js';
import { writeScenario, type WrittenScenario } from './scenario-writer.js';
import { diffSnapshots, snapshotDirectory } from './state-dir-snapshot.js';
import { observeStateDir } from './state-dir-observation.js';
import { resolveTauPoBinary } from './tau-po-binary.js';
import { runTauPo, scenarioFlags } from './tau-po-process.js';

const binary = resolveTauPoBinary();

const writtenRoots: string[] = [];
afterAll(() => {
  for (const root of writtenRoots) rmSync(root, { recursive: true, force: true });
});

function write(name: ScenarioName): WrittenScenario {
  const scenario = writeScenario(name, mkdtempSync(join(tmpdir(), `harness-outcome-${name}-`)), { rows: 2000, checkpointBytes: 3_000_000 });
  writtenRoots.push(scenario.root);
  return scenario;
}

function resume(scenario: WrittenScenario, principal = OPERATOR_PRINCIPAL) {
  return runTauPo(binary, ['resume', ...scenarioFlags(scenario.stateDir, scenario.policyPath, principal)]);
}

function auditBytes(scenario: WrittenScenario): Buffer {
  return readFileSync(join(scenario.stateDir, 'control-audit.jsonl'));
}

function report(scenario: WrittenScenario): Record<string, unknown> {
  return JSON.parse(readFileSync(join(scenario.stateDir, 'recovery-report.json'), 'utf8')) as Record<string, unknown>;
}

/** Runs resume, expects exit 0, and checks the state dir is consistent afterwards. */
async function resumeSucceeds(scenario: WrittenScenario): Promise<Record<string, unknown>> {
  const before = auditBytes(scenario);
  const run = await resume(scenario);
  expect(run.stderr).toBe('');
  expect(run.exitCode).toBe(0);
  expect(checkAfterSuccess(before, observeStateDir(scenario.stateDir))).toEqual([]);
  return report(scenario);
}

describe('scenarios against the real CLI', () => {
  it.each(['clean', 'crashed'] as const)('%s: resume detects the crash and restores the primary', async (name) => {
    expect(await resumeSucceeds(write(name))).toMatchObject({ crash_detected: true, checkpoint_source: 'primary', checkpoint_global_step: 1200 });
  });

  it('crashed-corrupt-primary: resume restores the fallback and says why', async () => {
    const recovered = await resumeSucceeds(write('crashed-corrupt-primary'));
    expect(recovered).toMatchObject({ crash_detected: true, checkpoint_source: 'fallback', checkpoint_global_step: 1000 });
    expect(String((recovered.diagnostics as string[])[0])).toMatch(/^primary checkpoint load failed: /);
  });

  it('crashed-no-checkpoint: resume fails closed (exit 4) and writes nothing', async () => {
    const scenario = write('crashed-no-checkpoint');
    const before = snapshotDirectory(scenario.stateDir);
    const run = await resume(scenario);
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toMatch(/^resume recovery guardrail: crash detected but checkpoint restore failed/);
    expect(diffSnapshots(before, snapshotDirectory(scenario.stateDir))).toEqual({ added: [], removed: [], changed: [] });
  });

  it('completed-run: no crash, no restore', async () => {
    expect(await resumeSucceeds(write('completed-run'))).toMatchObject({
      crash_detected: false,
      prior_training_state: 'completed',
      checkpoint_source: null,
      diagnostics: ['resume recovery: no crash-detected state, checkpoint restore not required'],
    });
  });

  it('paused: no crash, lifecycle back to running', async () => {
    const scenario = write('paused');
    expect(await resumeSucceeds(scenario)).toMatchObject({ crash_detected: false, prior_lifecycle_state: 'paused' });
    expect(observeStateDir(scenario.stateDir).controlState?.lifecycle_state).toBe('running');
  });

  it('malformed-audit-row: every command fails with the line number, and nothing changes', async () => {
    const scenario = write('malformed-audit-row');
    const before = snapshotDirectory(scenario.stateDir);
    const run = await resume(scenario);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`failed to parse training control audit line 3 from '${join(scenario.stateDir, 'control-audit.jsonl')}'`);
    expect(diffSnapshots(before, snapshotDirectory(scenario.stateDir))).toEqual({ added: [], removed: [], changed: [] });
  });

  it('torn-audit-tail: resume quarantines the torn bytes to a side file and carries on', async () => {
    const scenario = write('torn-audit-tail');
    const log = auditBytes(scenario);
    const torn = log.subarray(log.lastIndexOf(0x0a) + 1);
    await resumeSucceeds(scenario);
    const sideFiles = readdirSync(scenario.stateDir).filter((name) => name.startsWith('control-audit.jsonl.torn'));
    expect(sideFiles).toHaveLength(1);
    expect(readFileSync(join(scenario.stateDir, sideFiles[0] as string))).toEqual(torn);
    expect(JSON.stringify(report(scenario).diagnostics)).toMatch(/torn/);
  });

  it('state-behind-audit: the state is rolled forward from the log, so the paused run is not a crash', async () => {
    const recovered = await resumeSucceeds(write('state-behind-audit'));
    expect(recovered).toMatchObject({ crash_detected: false, prior_lifecycle_state: 'paused' });
    expect(JSON.stringify(recovered.diagnostics)).toMatch(/rolled the control state forward/);
  });

  it('tampered-audit: audit verify fails and names line 3', async () => {
    const scenario = write('tampered-audit');
    const run = await runTauPo(binary, ['audit', 'verify', '--state-dir', scenario.stateDir]);
    expect(run.exitCode).toBe(1);
    expect(`${run.stdout}${run.stderr}`).toMatch(/line 3/);
    const clean = await runTauPo(binary, ['audit', 'verify', '--state-dir', write('clean').stateDir]);
    expect(clean.exitCode).toBe(0);
  });

  it('missing-policy: denied (exit 3) with the policy path named, nothing written', async () => {
    const scenario = write('missing-policy');
    const before = snapshotDirectory(scenario.stateDir);
    const run = await resume(scenario);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(scenario.policyPath);
    expect(diffSnapshots(before, snapshotDirectory(scenario.stateDir))).toEqual({ added: [], removed: [], changed: [] });
  });

  it('the scenario policy lets the viewer read status but not pause', async () => {
    const scenario = write('clean');
    const status = await runTauPo(binary, ['status', ...scenarioFlags(scenario.stateDir, scenario.policyPath, VIEWER_PRINCIPAL)]);
    expect(status.exitCode).toBe(0);
    const pause = await runTauPo(binary, ['pause', ...scenarioFlags(scenario.stateDir, scenario.policyPath, VIEWER_PRINCIPAL)]);
    expect(pause.exitCode).toBe(3);
    expect(pause.stderr).toContain('reason_code=deny_role_policy');
  });

  it('big-audit: resume replays every row', async () => {
    expect(await resumeSucceeds(write('big-audit'))).toMatchObject({ replayed_audit_events: 2000 });
  });

  it("big-tau-audit: resume replays Tau's rows and starts the chain; the commands after it verify it", async () => {
    const scenario = write('big-tau-audit');
    expect(await resumeSucceeds(scenario)).toMatchObject({ replayed_audit_events: 2000 });
    const verify = () => runTauPo(binary, ['audit', 'verify', '--json', '--state-dir', scenario.stateDir]);
    const first = await verify();
    expect(first.exitCode, first.stderr).toBe(0);
    // Tau's last row starts the chain our resume row links to.
    expect(JSON.parse(first.stdout)).toMatchObject({ ok: true, rows: 2001, chained_rows: 2, unchained_rows: 1999, head_source: 'file' });
    for (const action of ['status', 'pause', 'resume']) {
      const run = await runTauPo(binary, [action, ...scenarioFlags(scenario.stateDir, scenario.policyPath, OPERATOR_PRINCIPAL)]);
      expect(run.exitCode, `${action}: ${run.stderr}`).toBe(0);
    }
    expect(JSON.parse((await verify()).stdout)).toMatchObject({ ok: true, rows: 2003, chained_rows: 4 });
  });

  it('big-checkpoint: resume restores the big primary', async () => {
    expect(await resumeSucceeds(write('big-checkpoint'))).toMatchObject({ checkpoint_source: 'primary', checkpoint_global_step: 1200 });
  });
});
