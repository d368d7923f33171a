// Every kind of tampering with a state directory, against every command that
// writes: each must refuse (exit 1, nothing written, the finding named), and
// `audit verify` must keep reporting the finding afterwards, until an
// operator accepts it; then the commands proceed and verify lists the
// finding as accepted history. Real files in temp dirs.
import fs from 'node:fs';
import path from 'node:path';
import { formatErrorChain, type ControlAction } from '@tau/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditAcceptCommand } from './audit-accept-command.js';
import { auditVerifyCommand, repairAuditLogCommand } from './audit-log-commands.js';
import { runControlCommand } from './control-command.js';
import { AuditLogUnverifiedError, exitCodeForError } from './control-errors.js';
import type { ControlRequest } from './control-request.js';
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

const file = (name: string): string => path.join(ws.stateDir, name);
const lines = (): string[] => fs.readFileSync(file('control-audit.jsonl'), 'utf8').split('\n').slice(0, -1);
const writeLines = (rows: string[]): void => fs.writeFileSync(file('control-audit.jsonl'), rows.map((r) => `${r}\n`).join(''));
/** A row as Tau's binary appends it: Tau's nine keys, no prev_sha256, os_user or host. */
const TAU_ROW = '{"schema_version":1,"timestamp_unix_ms":1,"principal":"local:tau","action":"pause","action_key":"control:rl:pause","lifecycle_state":"paused","idempotent":false,"rollback_checkpoint":null,"recovery_checkpoint_source":null}';

function request(action: ControlAction): ControlRequest {
  const base = { action, stateDir: ws.stateDir, rbacPolicyPath: ws.policyPath, principal: OPERATOR };
  return action === 'rollback' ? { ...base, rollbackCheckpoint: path.join(ws.root, 'rollback.json') } : base;
}

/** Five committed rows, our head file, control state, recovery report. */
async function committedDir(): Promise<void> {
  for (const action of ['pause', 'resume', 'pause', 'resume', 'pause'] as const) await runControlCommand(request(action));
  fs.writeFileSync(path.join(ws.root, 'rollback.json'), checkpointText('run-rollback'));
  writeStateFile(ws.stateDir, 'policy-checkpoint.json', checkpointText('run-primary'));
}

/** [name, tampering, the finding `audit verify` must report]. */
const TAMPERINGS: [string, () => void, string][] = [
  ['edit of a middle row', () => writeLines(lines().map((l, i) => (i === 2 ? l.replace(OPERATOR, 'local:mallory') : l))), 'edited_or_deleted'],
  ['edit of the last row (the head)', () => writeLines(lines().map((l, i, a) => (i === a.length - 1 ? l.replace(OPERATOR, 'local:mallory') : l))), 'head_mismatch'],
  [
    'edit of the last row, then an unchained append (as Tau writes)',
    () => writeLines([...lines().map((l, i, a) => (i === a.length - 1 ? l.replace(OPERATOR, 'local:mallory') : l)), TAU_ROW]),
    'head_mismatch',
  ],
  ['deletion of a middle row', () => writeLines(lines().filter((_, i) => i !== 2)), 'edited_or_deleted'],
  ['deletion of the first rows', () => writeLines(lines().slice(2)), 'deleted'],
  ['truncation of the tail', () => writeLines(lines().slice(0, 3)), 'truncated'],
  ['truncation and an unchained append', () => writeLines([...lines().slice(0, 3), TAU_ROW]), 'truncated'],
  ['reordering of two rows', () => {
    const l = lines();
    writeLines([l[0]!, l[2]!, l[1]!, ...l.slice(3)]);
  }, 'edited_or_deleted'],
  ['deletion of the head file', () => fs.rmSync(file('control-audit.head.json')), 'head_missing'],
  ['deletion of the control state', () => fs.rmSync(file('control-state.json')), 'control_state_missing'],
  ['deletion of both the head file and the control state', () => {
    fs.rmSync(file('control-audit.head.json'));
    fs.rmSync(file('control-state.json'));
  }, 'head_missing'],
  ['the head file moved back one row (hides a cut)', () => {
    const head = JSON.parse(fs.readFileSync(file('control-audit.head.json'), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(file('control-audit.head.json'), JSON.stringify({ ...head, row_count: 4 }, null, 2));
  }, 'inserted'],
  ['an accepted finding forged into the head file', () => {
    const head = JSON.parse(fs.readFileSync(file('control-audit.head.json'), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(file('control-audit.head.json'), JSON.stringify({ ...head, accepted_findings: [{ kind: 'edited_or_deleted', line: 3 }] }, null, 2));
    writeLines(lines().map((l, i) => (i === 1 ? l.replace(OPERATOR, 'local:mallory') : l)));
  }, 'edited_or_deleted'],
];

async function refusal(body: () => Promise<unknown>): Promise<unknown> {
  try {
    await body();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('a tampered state directory', () => {
  it.each(TAMPERINGS)('%s: every writing command refuses, verify keeps reporting it, until accepted', async (_name, tamper, kind) => {
    await committedDir();
    tamper();
    const before = snapshotDirectory(ws.stateDir);
    const commands: [string, () => Promise<unknown>][] = [
      ...(['pause', 'resume', 'cancel', 'rollback'] as const).map((action): [string, () => Promise<unknown>] => [action, () => runControlCommand(request(action))]),
      ['resume --dry-run', () => runControlCommand({ ...request('resume'), dryRun: true })],
      ['audit repair', () => repairAuditLogCommand({ stateDir: ws.stateDir, rbacPolicyPath: ws.policyPath, principal: OPERATOR })],
    ];
    for (const [name, command] of commands) {
      const error = await refusal(command);
      expect(error, `${name} must refuse`).toBeInstanceOf(Error);
      expect(exitCodeForError(error), name).toBe(1);
      expect(error instanceof AuditLogUnverifiedError || /fails verification|failed to parse/.test(formatErrorChain(error)), formatErrorChain(error)).toBe(true);
      expect(formatErrorChain(error), name).toMatch(/tau-po audit verify|failed to parse/);
      // status still answers (it writes nothing).
      await runControlCommand(request('status'));
      const verify = auditVerifyCommand(ws.stateDir);
      expect(verify.ok, name).toBe(false);
      expect(verify.verification.problems.map((p) => p.kind), name).toContain(kind);
    }
    expect(snapshotDirectory(ws.stateDir)).toEqual(before);

    // Accepting is an audited act; afterwards the commands proceed and the finding stays listed.
    const accept = await auditAcceptCommand({ stateDir: ws.stateDir, rbacPolicyPath: ws.policyPath, principal: OPERATOR, reason: 'drill' });
    expect(accept.accepted.map((p) => p.kind)).toContain(kind);
    expect(accept.warnings).toEqual([]);
    const paused = await runControlCommand(request('pause'));
    expect(paused.report.control_state?.last_action).toBe('pause');
    const after = auditVerifyCommand(ws.stateDir);
    expect(after.ok, after.text).toBe(true);
    expect(after.verification.accepted.flatMap((e) => e.findings.map((f) => f.kind))).toContain(kind);
    expect(after.verification.accepted[0]?.principal).toBe(OPERATOR);
    expect(after.verification.accepted[0]?.reason).toBe('drill');
  });

  it('an unchained append by Tau after our head is unverifiable, not a break: commands proceed', async () => {
    await committedDir();
    writeLines([...lines(), TAU_ROW]);
    const verify = auditVerifyCommand(ws.stateDir);
    expect(verify.ok).toBe(true);
    expect(verify.verification.unchained_rows).toBe(1);
    const outcome = await runControlCommand(request('cancel'));
    expect(outcome.report.control_state?.lifecycle_state).toBe('cancelled');
    expect(auditVerifyCommand(ws.stateDir).ok).toBe(true);
  });

  it('accept needs control:rl:resume, a reason, and writes nothing when there is nothing to accept', async () => {
    await committedDir();
    const rows = lines().length;
    expect(exitCodeForError(await refusal(() => auditAcceptCommand({ stateDir: ws.stateDir, rbacPolicyPath: ws.policyPath, principal: 'local:viewer', reason: 'x' })))).toBe(3);
    expect(exitCodeForError(await refusal(() => auditAcceptCommand({ stateDir: ws.stateDir, rbacPolicyPath: ws.policyPath, principal: OPERATOR, reason: '  ' })))).toBe(2);
    const none = await auditAcceptCommand({ stateDir: ws.stateDir, rbacPolicyPath: ws.policyPath, principal: OPERATOR, reason: 'nothing' });
    expect(none.accepted).toEqual([]);
    expect(lines()).toHaveLength(rows);
  });
});
