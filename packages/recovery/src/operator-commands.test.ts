import fs from 'node:fs';
import path from 'node:path';
import { formatErrorChain } from '@tau/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditTimelineCommand, auditVerifyCommand, repairAuditLogCommand } from './audit-log-commands.js';
import { inspectCheckpoint } from './checkpoint-commands.js';
import { runControlCommand } from './control-command.js';
import { exitCodeForError, UsageError } from './control-errors.js';
import { rbacCheckCommand, rbacWhoamiCommand } from './rbac-commands.js';
import {
  checkpointText,
  createWorkspace,
  OPERATOR,
  removeWorkspace,
  snapshotDirectory,
  writeStateFile,
  type Workspace,
} from './test-support/state-dir-fixture.js';

let ws: Workspace;
beforeEach(() => {
  ws = createWorkspace();
});
afterEach(() => removeWorkspace(ws));

async function commit(...actions: ('pause' | 'resume' | 'cancel')[]): Promise<void> {
  for (const action of actions) {
    await runControlCommand({ action, stateDir: ws.stateDir, rbacPolicyPath: ws.policyPath, principal: OPERATOR }, {});
  }
}

const logPath = (): string => path.join(ws.stateDir, 'control-audit.jsonl');

describe('auditVerifyCommand', () => {
  it('an intact log verifies against the recorded head', async () => {
    await commit('pause', 'cancel');
    const outcome = auditVerifyCommand(ws.stateDir);
    expect(outcome.ok).toBe(true);
    expect(outcome.verification).toMatchObject({ rows: 2, chained_rows: 2, unchained_rows: 0, expected_head: { row_count: 2 } });
    expect(outcome.text).toMatch(/chain intact, 2 rows/);
    expect(JSON.parse(auditVerifyCommand(ws.stateDir, { json: true }).text)).toMatchObject({ ok: true });
  });

  it('a removed last row is found through the recorded head', async () => {
    await commit('pause', 'cancel', 'pause');
    const lines = fs.readFileSync(logPath(), 'utf8').split('\n');
    fs.writeFileSync(logPath(), `${lines.slice(0, 2).join('\n')}\n`);
    const outcome = auditVerifyCommand(ws.stateDir);
    expect(outcome.ok).toBe(false);
  });

  it('an unreadable control state is reported, the chain still verified', async () => {
    await commit('pause');
    writeStateFile(ws.stateDir, 'control-state.json', '{');
    const outcome = auditVerifyCommand(ws.stateDir);
    expect(outcome.diagnostics[0]).toMatch(/^control state not read: failed to parse training control state/);
    expect(outcome.verification.rows).toBe(1);
  });
});

describe('auditTimelineCommand', () => {
  it('one line per row with the transition', async () => {
    await commit('pause', 'resume');
    const lines = auditTimelineCommand(ws.stateDir, { color: false }).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/local:rl-operator\s+pause\s+running\s+-> paused/);
    expect(lines[1]).toMatch(/resume\s+paused\s+-> running/);
  });
});

describe('repairAuditLogCommand', () => {
  const request = () => ({ stateDir: ws.stateDir, rbacPolicyPath: ws.policyPath, principal: OPERATOR });

  it('quarantines a torn tail and leaves complete rows', async () => {
    await commit('pause');
    const clean = fs.readFileSync(logPath());
    fs.appendFileSync(logPath(), '{"act');
    const outcome = await repairAuditLogCommand(request(), {}, { now: () => 1_700_000_000_000 });
    expect(outcome.repair).toMatchObject({ byte_length: 5, quarantine_path: `${logPath()}.torn-1700000000000` });
    expect(outcome.text).toBe(
      `audit log '${ws.stateDir}/control-audit.jsonl': torn final line (5 bytes at byte ${clean.length}) moved to ${logPath()}.torn-1700000000000`,
    );
    expect(fs.readFileSync(logPath())).toEqual(clean);
    expect(fs.readFileSync(`${logPath()}.torn-1700000000000`, 'utf8')).toBe('{"act');
  });

  it('nothing to repair: says so and changes nothing; a missing dir is not created', async () => {
    const absent = await repairAuditLogCommand(request(), {});
    expect(absent.repair).toBeNull();
    expect(fs.existsSync(ws.stateDir)).toBe(false);
    await commit('pause');
    const before = snapshotDirectory(ws.stateDir);
    const outcome = await repairAuditLogCommand(request(), {});
    expect(outcome.text).toMatch(/no torn final line, nothing to repair$/);
    expect(snapshotDirectory(ws.stateDir)).toEqual(before);
  });

  it('a log path that cannot be cut fails before the quarantine is written', async () => {
    await commit('pause');
    fs.rmSync(logPath());
    fs.symlinkSync('/nowhere', logPath());
    const before = fs.readdirSync(ws.stateDir).sort();
    let error: unknown;
    try {
      await repairAuditLogCommand(request(), {});
    } catch (caught) {
      error = caught;
    }
    expect(exitCodeForError(error)).toBe(1);
    expect(formatErrorChain(error)).toBe(
      `cannot write state file '${ws.stateDir}/control-audit.jsonl' (nothing was changed): it is a symbolic link to '/nowhere', which does not exist`,
    );
    expect(fs.readdirSync(ws.stateDir).sort()).toEqual(before);
  });

  it('requires the resume permission', async () => {
    await commit('pause');
    fs.appendFileSync(logPath(), '{"act');
    const before = snapshotDirectory(ws.stateDir);
    let error: unknown;
    try {
      await repairAuditLogCommand({ ...request(), principal: 'local:viewer' }, {});
    } catch (caught) {
      error = caught;
    }
    expect(exitCodeForError(error)).toBe(3);
    expect(formatErrorChain(error)).toMatch(
      /^failed to authorize prompt-optimization lifecycle control action 'audit repair': unauthorized rl lifecycle action: principal=local:viewer action=control:rl:resume /,
    );
    expect(snapshotDirectory(ws.stateDir)).toEqual(before);
  });
});

describe('inspectCheckpoint', () => {
  it('returns the header of a valid checkpoint and throws the loader chain otherwise', () => {
    const good = writeStateFile(ws.root, 'good.json', checkpointText('run-9', 7, 3));
    expect(inspectCheckpoint(good).header).toMatchObject({ run_id: 'run-9', global_step: 7, optimizer_step: 3 });
    const bad = writeStateFile(ws.root, 'bad.json', JSON.stringify({ checkpoint_version: 2 }));
    // Tau's validation errors are bare: no path, no `parse checkpoint JSON` wrapper.
    expect(() => inspectCheckpoint(bad)).toThrow(/^unsupported checkpoint_version 2; expected 1$/);
  });
});

describe('rbacCheckCommand', () => {
  it.each<[string, string, boolean, string]>([
    ['resume', OPERATOR, true, 'allow_role_policy'],
    ['control:rl:pause', OPERATOR, true, 'allow_role_policy'],
    ['status', 'local:viewer', true, 'allow_role_policy'],
    ['cancel', 'local:viewer', false, 'deny_no_matching_allow'],
    ['cancel', 'local:nobody', false, 'deny_unbound_principal'],
  ])('%s as %s', async (action, principal, allowed, reason) => {
    const report = await rbacCheckCommand({ rbacPolicyPath: ws.policyPath, action, principal }, {});
    expect(report).toMatchObject({ principal, allowed, reason_code: reason, policy_path: ws.policyPath });
    expect(report.action).toMatch(/^control:rl:/);
  });

  it('a missing policy denies; an unknown action is a usage error', async () => {
    const missing = await rbacCheckCommand({ rbacPolicyPath: path.join(ws.root, 'none.json'), action: 'status', principal: OPERATOR }, {});
    expect(missing).toMatchObject({ allowed: false, reason_code: 'deny_policy_missing' });
    await expect(rbacCheckCommand({ rbacPolicyPath: ws.policyPath, action: 'reboot' }, {})).rejects.toThrow(UsageError);
  });
});

describe('rbacWhoamiCommand', () => {
  it.each<[string | undefined, Record<string, string>, string, 'given' | 'local']>([
    [' local:ops ', {}, 'local:ops', 'given'],
    [undefined, { USER: 'Alice Smith' }, 'local:alice-smith', 'local'],
    ['  ', { TAU_RBAC_LOCAL_ACTOR: 'bot' }, 'local:bot', 'local'],
    ['local:operator', {}, 'local:operator', 'given'],
  ])('%j', (given, env, principal, source) => {
    expect(rbacWhoamiCommand(given, env)).toEqual({ principal, source });
  });
});
