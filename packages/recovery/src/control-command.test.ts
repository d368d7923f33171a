import fs from 'node:fs';
import path from 'node:path';
import { auditLogChangeStamp, verifyAuditChain } from '@tau/audit-log';
import { STATE_DIR_LOCK_FILE } from '@tau/durable-fs';
import {
  formatErrorChain,
  parseControlState,
  parseRecoveryReport,
  serializeControlReport,
  serializeControlState,
  type ControlAction,
  type ControlState,
} from '@tau/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCodeForError } from './control-errors.js';
import { runControlCommand, type ControlOutcome } from './control-command.js';
import type { ControlRequest } from './control-request.js';
import { NO_CRASH_DIAGNOSTIC } from './recovery-report-builder.js';
import {
  checkpointText,
  createWorkspace,
  OPERATOR,
  readAuditRows,
  removeWorkspace,
  snapshotDirectory,
  writeStateFile,
  writeTrainingStatus,
  type Workspace,
} from './test-support/state-dir-fixture.js';

let ws: Workspace;
let clock: number;
const now = (): number => clock;

beforeEach(() => {
  ws = createWorkspace();
  clock = 1_700_000_000_000;
});
afterEach(() => removeWorkspace(ws));

function request(action: ControlAction, extra: Partial<ControlRequest> = {}): ControlRequest {
  return { action, stateDir: ws.stateDir, rbacPolicyPath: ws.policyPath, principal: OPERATOR, ...extra };
}

async function run(action: ControlAction, extra: Partial<ControlRequest> = {}): Promise<ControlOutcome> {
  clock += 1_000;
  const outcome = await runControlCommand(request(action, extra), {}, { now });
  // Every outcome must print as the --json document (the serializer validates before writing).
  expect(JSON.parse(serializeControlReport(outcome.report))).toEqual(JSON.parse(JSON.stringify(outcome.report)));
  return outcome;
}

async function failure(action: ControlAction, extra: Partial<ControlRequest> = {}): Promise<unknown> {
  try {
    await run(action, extra);
  } catch (error) {
    return error;
  }
  throw new Error(`${action} unexpectedly succeeded`);
}

function readState(): ControlState {
  const file = path.join(ws.stateDir, 'control-state.json');
  return parseControlState(fs.readFileSync(file, 'utf8'), file);
}

function stateFile(name: string): string {
  return path.join(ws.stateDir, name);
}

describe('runControlCommand: the actions', () => {
  it('pause on a fresh directory creates it and writes Tau-exact state and one audit row', async () => {
    const outcome = await run('pause');
    const state = readState();
    expect(state).toMatchObject({
      schema_version: 1,
      updated_unix_ms: clock,
      lifecycle_state: 'paused',
      last_action: 'pause',
      principal: OPERATOR,
      rollback_checkpoint: null,
      audit_head: { row_count: 1 },
    });
    // Byte for byte what the serializer makes of it: pretty, no trailing newline.
    expect(fs.readFileSync(stateFile('control-state.json'), 'utf8')).toBe(serializeControlState(state));
    const rows = readAuditRows(ws.stateDir);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      schema_version: 1,
      timestamp_unix_ms: clock,
      principal: OPERATOR,
      action: 'pause',
      action_key: 'control:rl:pause',
      lifecycle_state: 'paused',
      idempotent: false,
      rollback_checkpoint: null,
      recovery_checkpoint_source: null,
    });
    expect(Object.keys(rows[0] ?? {}).slice(0, 9)).toEqual([
      'schema_version',
      'timestamp_unix_ms',
      'principal',
      'action',
      'action_key',
      'lifecycle_state',
      'idempotent',
      'rollback_checkpoint',
      'recovery_checkpoint_source',
    ]);
    expect(outcome.report).toMatchObject({ action: 'pause', idempotent: false, control_state: state });
    expect(outcome.text).toBe(
      `prompt optimization lifecycle control: action=pause principal=${OPERATOR} lifecycle_state=paused ` +
        'training_run_state=missing idempotent=false rollback_checkpoint=none checkpoint_run_id=none ' +
        'recovery_report=none recovery_checkpoint_source=none recovery_crash_detected=n/a ' +
        `recovery_replayed_audit_events=n/a state_dir=${ws.stateDir} state_file=${ws.stateDir}/control-state.json ` +
        `audit_file=${ws.stateDir}/control-audit.jsonl`,
    );
    expect(fs.existsSync(stateFile(STATE_DIR_LOCK_FILE))).toBe(false);
    expect(outcome.diagnostics).toEqual([]);
  });

  it('a sequence of actions: lifecycle, idempotency and rollback clearing, one row each', async () => {
    const checkpoint = writeStateFile(ws.root, 'rb.json', checkpointText('run-rb'));
    // The second resume finds `running` with no training status: a crash, restored from the primary.
    writeStateFile(ws.stateDir, 'policy-checkpoint.json', checkpointText('run-primary'));
    const steps: [ControlAction, string | undefined, string, boolean][] = [
      ['pause', undefined, 'paused', false],
      ['pause', undefined, 'paused', true],
      ['resume', undefined, 'running', false],
      ['resume', undefined, 'running', true],
      ['cancel', undefined, 'cancelled', false],
      ['rollback', checkpoint, 'rollback_requested', false],
      ['rollback', checkpoint, 'rollback_requested', true],
      ['pause', undefined, 'paused', false],
    ];
    for (const [action, rollbackCheckpoint, lifecycle, idempotent] of steps) {
      const outcome = await run(action, rollbackCheckpoint === undefined ? {} : { rollbackCheckpoint });
      expect({ action, lifecycle: outcome.report.control_state?.lifecycle_state, idempotent: outcome.report.idempotent }).toEqual({
        action,
        lifecycle,
        idempotent,
      });
    }
    expect(readState()).toMatchObject({ lifecycle_state: 'paused', rollback_checkpoint: null, audit_head: { row_count: 8 } });
    expect(readAuditRows(ws.stateDir).map((row) => row.action)).toEqual(steps.map(([action]) => action));
    const verification = verifyAuditChain(stateFile('control-audit.jsonl'), readState().audit_head);
    expect(verification.ok).toBe(true);
  });

  it('rollback records the path as given and the checkpoint run id', async () => {
    writeStateFile(ws.root, 'rb.json', checkpointText('run-rb'));
    const given = `${ws.root}/./rb.json`;
    const outcome = await run('rollback', { rollbackCheckpoint: given });
    expect(outcome.report).toMatchObject({ rollback_checkpoint: given, checkpoint_run_id: 'run-rb' });
    expect(readState().rollback_checkpoint).toBe(given);
    expect(outcome.text).toContain(`rollback_checkpoint=${given} checkpoint_run_id=run-rb `);
  });

  it('rollback to a checkpoint that does not validate fails and writes nothing', async () => {
    await run('pause');
    const bad = writeStateFile(ws.root, 'bad.json', JSON.stringify({ checkpoint_version: 1, run_id: '' }));
    const before = snapshotDirectory(ws.stateDir);
    const error = await failure('rollback', { rollbackCheckpoint: bad });
    expect(formatErrorChain(error)).toMatch(new RegExp(`^failed to load rollback checkpoint '${bad}': `));
    expect(exitCodeForError(error)).toBe(1);
    expect(snapshotDirectory(ws.stateDir)).toEqual(before);
  });

  it('status writes nothing, takes no lock, and does not create the state dir', async () => {
    const outcome = await run('status');
    expect(fs.existsSync(ws.stateDir)).toBe(false);
    expect(outcome.report).toMatchObject({ action: 'status', idempotent: null, control_state: null, training_status: null });
    expect(outcome.text).toContain(' lifecycle_state=unknown training_run_state=missing idempotent=n/a ');

    await run('pause');
    writeTrainingStatus(ws.stateDir, 'running');
    const before = snapshotDirectory(ws.stateDir);
    const status = await run('status');
    expect(snapshotDirectory(ws.stateDir)).toEqual(before);
    expect(status.report.control_state).toEqual(readState());
    expect(status.text).toContain(' lifecycle_state=paused training_run_state=running idempotent=n/a ');
  });

  it('the recovery_* fields come from the report on disk for every action', async () => {
    await run('resume');
    const pause = await run('pause');
    expect(pause.report).toMatchObject({
      recovery_report_path: `${ws.stateDir}/recovery-report.json`,
      recovery_checkpoint_source: null,
      recovery_crash_detected: false,
      recovery_replayed_audit_events: 0,
    });
    const status = await run('status');
    expect(status.report.recovery_crash_detected).toBe(false);
  });

  it('keeps the state dir spelling in every printed path', async () => {
    const relative = path.relative(process.cwd(), ws.stateDir);
    const outcome = await runControlCommand(
      { action: 'status', stateDir: `./${relative}/`, rbacPolicyPath: ws.policyPath, principal: OPERATOR },
      {},
    );
    expect(outcome.report.state_dir).toBe(`./${relative}/`);
    expect(outcome.report.control_state_path).toBe(`./${relative}/control-state.json`);
  });

  it('resolves the local principal from the environment when none is given', async () => {
    const outcome = await runControlCommand(
      { action: 'pause', stateDir: ws.stateDir, rbacPolicyPath: ws.policyPath },
      { TAU_RBAC_LOCAL_ACTOR: 'RL Operator' },
    );
    expect(outcome.report.principal).toBe(OPERATOR);
  });
});

describe('runControlCommand: resume', () => {
  it('no crash (no control state): report says so, no checkpoint needed', async () => {
    const outcome = await run('resume');
    const report = parseRecoveryReport(fs.readFileSync(stateFile('recovery-report.json'), 'utf8'), 'r');
    expect(report).toEqual({
      schema_version: 1,
      recovered_at_unix_ms: clock,
      principal: OPERATOR,
      crash_detected: false,
      prior_lifecycle_state: 'missing',
      prior_training_state: null,
      replayed_audit_events: 0,
      replayed_actions: [],
      checkpoint_source: null,
      checkpoint_run_id: null,
      checkpoint_global_step: null,
      checkpoint_optimizer_step: null,
      diagnostics: [NO_CRASH_DIAGNOSTIC],
    });
    // The outcome's report is the one written (its replayed_actions compact; as JSON, the same).
    expect(JSON.parse(JSON.stringify(outcome.recoveryReport))).toEqual(report);
    expect(outcome.diagnostics).toEqual([NO_CRASH_DIAGNOSTIC]);
    expect(outcome.report).toMatchObject({ idempotent: true, recovery_crash_detected: false, recovery_replayed_audit_events: 0 });
    expect(readAuditRows(ws.stateDir)[0]).toMatchObject({ action: 'resume', recovery_checkpoint_source: null });
  });

  it('crash (running, training not finished): restores the primary', async () => {
    await run('pause');
    await run('resume');
    writeTrainingStatus(ws.stateDir, 'running');
    writeStateFile(ws.stateDir, 'policy-checkpoint.json', checkpointText('run-primary', 40, 20));
    writeStateFile(ws.stateDir, 'policy-checkpoint.rollback.json', checkpointText('run-fallback', 30, 15));
    const outcome = await run('resume');
    expect(JSON.parse(JSON.stringify(outcome.recoveryReport))).toMatchObject({
      crash_detected: true,
      prior_lifecycle_state: 'running',
      prior_training_state: 'running',
      replayed_audit_events: 2,
      replayed_actions: ['pause', 'resume'],
      checkpoint_source: 'primary',
      checkpoint_run_id: 'run-primary',
      checkpoint_global_step: 40,
      checkpoint_optimizer_step: 20,
      diagnostics: [],
    });
    expect(outcome.report).toMatchObject({
      checkpoint_run_id: 'run-primary',
      recovery_checkpoint_source: 'primary',
      recovery_crash_detected: true,
      recovery_replayed_audit_events: 2,
      idempotent: true,
    });
    expect(readAuditRows(ws.stateDir).at(-1)).toMatchObject({ action: 'resume', recovery_checkpoint_source: 'primary' });
  });

  it('a finished training run is not a crash', async () => {
    await run('resume');
    writeTrainingStatus(ws.stateDir, 'completed');
    const outcome = await run('resume');
    expect(outcome.recoveryReport).toMatchObject({ crash_detected: false, prior_training_state: 'completed' });
  });

  it('corrupted primary: the fallback is used and the primary failure recorded', async () => {
    await run('resume');
    writeStateFile(ws.stateDir, 'policy-checkpoint.json', '{"checkpoint_version": 1, "run_id": "x"');
    writeStateFile(ws.stateDir, 'policy-checkpoint.rollback.json', checkpointText('run-fallback', 30, 15));
    const outcome = await run('resume');
    expect(outcome.recoveryReport).toMatchObject({
      crash_detected: true,
      checkpoint_source: 'fallback',
      checkpoint_run_id: 'run-fallback',
      checkpoint_global_step: 30,
    });
    expect(outcome.recoveryReport?.diagnostics).toHaveLength(1);
    expect(outcome.recoveryReport?.diagnostics[0]).toMatch(
      new RegExp(`^primary checkpoint load failed: parse checkpoint JSON ${ws.stateDir}/policy-checkpoint.json`),
    );
    expect(outcome.text).toContain(' recovery_checkpoint_source=fallback recovery_crash_detected=true ');
    expect(readAuditRows(ws.stateDir).at(-1)).toMatchObject({ recovery_checkpoint_source: 'fallback' });
  });

  it('crash and no usable checkpoint: fails closed with the guardrail, writes nothing', async () => {
    await run('resume');
    writeTrainingStatus(ws.stateDir, 'running');
    writeStateFile(ws.stateDir, 'policy-checkpoint.json', '{}');
    const before = snapshotDirectory(ws.stateDir);
    const error = await failure('resume');
    const primary = `${ws.stateDir}/policy-checkpoint.json`;
    const fallback = `${ws.stateDir}/policy-checkpoint.rollback.json`;
    expect(formatErrorChain(error)).toMatch(
      new RegExp(
        `^resume recovery guardrail: crash detected but checkpoint restore failed \\(primary='${primary}' fallback='${fallback}'\\): ` +
          'primary checkpoint load failed: .*missing required checkpoint field `checkpoint_version`.*; fallback checkpoint load failed: read checkpoint ',
      ),
    );
    expect(exitCodeForError(error)).toBe(4);
    expect(snapshotDirectory(ws.stateDir)).toEqual(before);
  });

  it('dry run: computes and prints everything, writes nothing, not even the directory', async () => {
    const fresh = await run('resume', { dryRun: true });
    expect(fs.existsSync(ws.stateDir)).toBe(false);
    expect(fresh.diagnostics).toEqual([NO_CRASH_DIAGNOSTIC, 'dry run: nothing written']);

    await run('resume');
    writeTrainingStatus(ws.stateDir, 'running');
    writeStateFile(ws.stateDir, 'policy-checkpoint.rollback.json', checkpointText('run-fallback'));
    fs.appendFileSync(stateFile('control-audit.jsonl'), '{"action":"pau');
    const before = snapshotDirectory(ws.stateDir);
    const outcome = await run('resume', { dryRun: true });
    expect(snapshotDirectory(ws.stateDir)).toEqual(before);
    expect(outcome.recoveryReport).toMatchObject({ crash_detected: true, checkpoint_source: 'fallback' });
    expect(outcome.diagnostics.at(-1)).toBe('dry run: nothing written');
    expect(outcome.diagnostics.some((line) => line.startsWith('audit log has a torn final line (line 2, 14 bytes)'))).toBe(true);
    expect(outcome.report.control_state).toMatchObject({ lifecycle_state: 'running', last_action: 'resume' });
    expect(outcome.report.control_state).not.toHaveProperty('audit_head');
  });

  it('dry run fails closed exactly as resume would', async () => {
    await run('resume');
    const before = snapshotDirectory(ws.stateDir);
    const error = await failure('resume', { dryRun: true });
    expect(exitCodeForError(error)).toBe(4);
    expect(snapshotDirectory(ws.stateDir)).toEqual(before);
  });
});

describe('runControlCommand: authorization', () => {
  it('a denied principal fails with exit 3 and nothing is touched', async () => {
    await run('pause');
    const before = snapshotDirectory(ws.root);
    const error = await failure('resume', { principal: 'local:viewer' });
    expect(formatErrorChain(error)).toBe(
      "failed to authorize prompt-optimization lifecycle control action 'resume': " +
        'unauthorized rl lifecycle action: principal=local:viewer action=control:rl:resume reason_code=deny_no_matching_allow',
    );
    expect(exitCodeForError(error)).toBe(3);
    expect(snapshotDirectory(ws.root)).toEqual(before);
  });

  it('an unbound principal is denied, and a fresh state dir is never created', async () => {
    const error = await failure('pause', { principal: 'local:stranger' });
    expect(exitCodeForError(error)).toBe(3);
    expect(fs.existsSync(ws.stateDir)).toBe(false);
  });

  it('a missing policy file denies (exit 3) and says where it looked and how to create one', async () => {
    const missing = path.join(ws.root, 'no-such-policy.json');
    const error = await failure('pause', { rbacPolicyPath: missing });
    expect(exitCodeForError(error)).toBe(3);
    const chain = formatErrorChain(error);
    expect(chain).toMatch(/^failed to authorize prompt-optimization lifecycle control action 'pause': unauthorized rl lifecycle action: .*reason_code=deny_policy_missing: /);
    expect(chain).toContain(`rbac policy file '${missing}' does not exist, so every control action is denied; create it`);
    expect(fs.existsSync(ws.stateDir)).toBe(false);
  });

  it('an unusable policy file fails with exit 1 and Tau\'s bare rule message', async () => {
    fs.writeFileSync(ws.policyPath, '{"schema_version": 1, "team_mode": true, "bindings": [{"principal": " ", "roles": ["x"]}], "roles": {"x": {"allow": ["*"]}}}');
    const error = await failure('pause');
    expect(exitCodeForError(error)).toBe(1);
    expect(formatErrorChain(error)).toMatch(
      /^failed to authorize prompt-optimization lifecycle control action 'pause': rbac binding principal must not be empty$/,
    );
  });

  it('team_mode false in a policy file allows anyone', async () => {
    fs.writeFileSync(ws.policyPath, JSON.stringify({ schema_version: 1, team_mode: false }));
    const outcome = await run('pause', { principal: 'local:anyone' });
    expect(outcome.report.principal).toBe('local:anyone');
  });
});

describe('runControlCommand: the audit log', () => {
  it('a malformed terminated row fails every mutating command with its line number; status still reports', async () => {
    await run('pause');
    fs.appendFileSync(stateFile('control-audit.jsonl'), '\n{"action": 5}\n');
    const before = snapshotDirectory(ws.stateDir);
    for (const action of ['resume', 'pause'] as const) {
      const error = await failure(action);
      expect(formatErrorChain(error)).toMatch(
        new RegExp(`^failed to parse training control audit line 3 from '${ws.stateDir}/control-audit.jsonl': `),
      );
      expect(exitCodeForError(error)).toBe(1);
    }
    expect(snapshotDirectory(ws.stateDir)).toEqual(before);
    const status = await run('status');
    expect(status.report.control_state?.lifecycle_state).toBe('paused');
    expect(status.diagnostics[0]).toMatch(/^audit log not replayed, control state shown as on disk: failed to parse training control audit line 3/);
  });

  it('status reads a log that ends at our head in O(1), and replays it once it changed', async () => {
    await run('pause');
    await run('resume');
    const log = stateFile('control-audit.jsonl');
    // Row 1 made unreadable (same length), then the head file re-stamped as if we had written the log so:
    // only a replay can notice the row, and one that ends at our head needs none.
    const rows = fs.readFileSync(log, 'utf8').split('\n');
    const first = rows[0] as string;
    rows[0] = `{"action":5}${' '.repeat(first.length - '{"action":5}'.length)}`;
    fs.writeFileSync(log, rows.join('\n'));
    const headPath = stateFile('control-audit.head.json');
    const head = JSON.parse(fs.readFileSync(headPath, 'utf8')) as Record<string, unknown>;
    writeStateFile(ws.stateDir, 'control-audit.head.json', JSON.stringify({ ...head, log_change: auditLogChangeStamp(log) }, null, 2));
    const quick = await run('status');
    expect(quick.diagnostics).toEqual([]);
    expect(quick.report.control_state?.lifecycle_state).toBe('running');
    // Any write to the log changes its stamp (here its size: a blank line): the next status replays and meets the row.
    fs.appendFileSync(log, '\n');
    const replayed = await run('status');
    expect(replayed.diagnostics[0]).toMatch(/^audit log not replayed, control state shown as on disk: failed to parse training control audit line 1/);
  });

  it('a torn final line is quarantined before the append and reported', async () => {
    await run('pause');
    await run('cancel');
    const log = stateFile('control-audit.jsonl');
    fs.appendFileSync(log, '{"schema_version":1,"timestamp_unix_ms":17');
    const status = await run('status');
    expect(status.diagnostics).toEqual([
      'audit log has a torn final line (line 3, 42 bytes) from an interrupted write; the next mutating command moves it aside',
    ]);
    const outcome = await run('resume');
    const quarantined = fs.readdirSync(ws.stateDir).filter((name) => name.startsWith('control-audit.jsonl.torn-'));
    expect(quarantined).toHaveLength(1);
    const quarantinePath = path.join(ws.stateDir, quarantined[0] ?? '');
    expect(fs.readFileSync(quarantinePath, 'utf8')).toBe('{"schema_version":1,"timestamp_unix_ms":17');
    const tornDiagnostic = `audit log had a torn final line (line 3, 42 bytes) from an interrupted write; moved to ${quarantinePath}`;
    expect(outcome.recoveryReport?.diagnostics).toEqual([NO_CRASH_DIAGNOSTIC, tornDiagnostic]);
    expect(outcome.diagnostics).toContain(tornDiagnostic);
    expect(readAuditRows(ws.stateDir).map((row) => row.action)).toEqual(['pause', 'cancel', 'resume']);
    expect(verifyAuditChain(log, readState().audit_head).ok).toBe(true);
  });

  it('a torn tail is reported by pause too (outcome diagnostics)', async () => {
    await run('pause');
    fs.appendFileSync(stateFile('control-audit.jsonl'), '{"act');
    const outcome = await run('cancel');
    expect(outcome.diagnostics).toHaveLength(1);
    expect(outcome.diagnostics[0]).toMatch(/^audit log had a torn final line \(line 2, 5 bytes\) from an interrupted write; moved to /);
  });

  it('a malformed recovery report fails every command, status included', async () => {
    await run('resume');
    writeStateFile(ws.stateDir, 'recovery-report.json', '{"schema_version": 1}');
    for (const action of ['status', 'pause', 'resume'] as const) {
      const error = await failure(action);
      expect(formatErrorChain(error)).toMatch(
        new RegExp(`^failed to parse training recovery report '${ws.stateDir}/recovery-report.json'`),
      );
    }
  });

  it('another schema version fails every command with Tau\'s messages naming the file', async () => {
    const files = [
      ['control-state.json', 'training control state', 'training control'],
      ['status.json', 'training status file', 'training status'],
      ['recovery-report.json', 'training recovery report', 'training recovery'],
    ] as const;
    writeTrainingStatus(ws.stateDir, 'completed');
    await run('resume');
    for (const [file, parseNoun, versionNoun] of files) {
      const original = fs.readFileSync(stateFile(file), 'utf8');
      expect(original).toContain('"schema_version": 1');
      writeStateFile(ws.stateDir, file, original.replace('"schema_version": 1', '"schema_version": 2'));
      const before = snapshotDirectory(ws.stateDir);
      for (const action of ['status', 'pause', 'resume'] as const) {
        const error = await failure(action);
        expect(formatErrorChain(error)).toBe(
          `failed to parse ${parseNoun} '${stateFile(file)}': unsupported ${versionNoun} schema version 2 (expected 1)`,
        );
      }
      expect(snapshotDirectory(ws.stateDir)).toEqual(before);
      writeStateFile(ws.stateDir, file, original);
    }
  });
});

/** Every entry under `dir` without following links: kind, bytes or link text. */
function treeOf(dir: string): Record<string, string> {
  const tree: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const entryPath = path.join(entry.parentPath, entry.name);
    const name = path.relative(dir, entryPath);
    if (entry.isSymbolicLink()) tree[name] = `link -> ${fs.readlinkSync(entryPath)}`;
    else if (entry.isFile()) tree[name] = `file ${fs.readFileSync(entryPath).toString('base64')}`;
    else tree[name] = entry.isDirectory() ? 'directory' : 'other';
  }
  return tree;
}

describe('runControlCommand: files it cannot write', () => {
  // A state dir after a real resume, with every artifact present.
  async function committedStateDir(): Promise<void> {
    writeTrainingStatus(ws.stateDir, 'completed');
    await run('resume');
  }

  function danglingLink(name: string): string {
    const missing = path.join(ws.root, 'elsewhere', `missing-${name}`);
    fs.mkdirSync(path.dirname(missing), { recursive: true });
    fs.rmSync(stateFile(name), { force: true });
    fs.symlinkSync(missing, stateFile(name));
    return missing;
  }

  it('a dangling control-state.json link fails every mutating command before its commit point', async () => {
    await committedStateDir();
    const missing = danglingLink('control-state.json');
    fs.appendFileSync(stateFile('control-audit.jsonl'), '{"act');
    const checkpoint = writeStateFile(ws.root, 'ckpt.json', checkpointText('run-rb'));
    const before = treeOf(ws.root);
    for (const [action, extra] of [
      ['pause', {}],
      ['resume', {}],
      ['cancel', {}],
      ['rollback', { rollbackCheckpoint: checkpoint }],
      ['resume', { dryRun: true }],
    ] as const) {
      const error = await failure(action, extra);
      expect(exitCodeForError(error)).toBe(1);
      expect(formatErrorChain(error)).toBe(
        `cannot write state file '${stateFile('control-state.json')}' (nothing was changed): it is a symbolic link to '${missing}', which does not exist`,
      );
      // No audit row, no recovery report, not even the torn tail moved aside.
      expect(treeOf(ws.root)).toEqual(before);
    }
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('an audit log linked to /dev/null is refused instead of losing the commit row', async () => {
    await committedStateDir();
    fs.rmSync(stateFile('control-audit.jsonl'));
    fs.symlinkSync('/dev/null', stateFile('control-audit.jsonl'));
    const before = treeOf(ws.stateDir);
    const error = await failure('pause');
    // Refused when the log is opened for replay, before any write is attempted.
    expect(formatErrorChain(error)).toMatch(
      /^failed to read training control audit log '.*control-audit\.jsonl': the path is a character device, not a regular file$/,
    );
    expect(exitCodeForError(error)).toBe(1);
    expect(treeOf(ws.stateDir)).toEqual(before);
  });

  it('a dangling recovery-report.json link fails resume only; pause does not write the report', async () => {
    await committedStateDir();
    const missing = danglingLink('recovery-report.json');
    const before = treeOf(ws.stateDir);
    const error = await failure('resume');
    expect(formatErrorChain(error)).toBe(
      `cannot write state file '${stateFile('recovery-report.json')}' (nothing was changed): it is a symbolic link to '${missing}', which does not exist`,
    );
    expect(treeOf(ws.stateDir)).toEqual(before);
    await run('pause');
    expect(readState()).toMatchObject({ lifecycle_state: 'paused' });
  });

  it('a link to a regular file is followed: the file is replaced, the link stays', async () => {
    await committedStateDir();
    const real = path.join(ws.root, 'elsewhere', 'control-state.json');
    fs.mkdirSync(path.dirname(real), { recursive: true });
    fs.renameSync(stateFile('control-state.json'), real);
    fs.symlinkSync(real, stateFile('control-state.json'));
    await run('pause');
    expect(fs.readlinkSync(stateFile('control-state.json'))).toBe(real);
    expect(parseControlState(fs.readFileSync(real, 'utf8'), real)).toMatchObject({ lifecycle_state: 'paused', audit_head: { row_count: 2 } });
  });
});

describe('runControlCommand: reconciliation', () => {
  it('a control state behind the log (crash after the commit point) is rolled forward', async () => {
    await run('pause');
    const stateAfterPause = fs.readFileSync(stateFile('control-state.json'));
    const headAfterPause = fs.readFileSync(stateFile('control-audit.head.json'));
    await run('cancel');
    // The cancel row is committed, its control state and head file writes "lost".
    fs.writeFileSync(stateFile('control-state.json'), stateAfterPause);
    fs.writeFileSync(stateFile('control-audit.head.json'), headAfterPause);
    const status = await run('status');
    expect(status.report.control_state).toMatchObject({ lifecycle_state: 'cancelled', last_action: 'cancel', audit_head: { row_count: 2 } });
    expect(status.diagnostics).toHaveLength(1);
    expect(status.diagnostics[0]).toMatch(/^audit log holds a committed row after the audit head file \(2 rows, head file records 1\): rolled the control state forward from the last audit row \(line 2: action=cancel lifecycle_state=cancelled\)/);
    // Idempotency is judged against the committed (rolled-forward) state.
    const again = await run('cancel');
    expect(again.report.idempotent).toBe(true);
    expect(again.diagnostics[0]).toMatch(/^audit log holds a committed row after the audit head file/);
    expect(readState()).toMatchObject({ lifecycle_state: 'cancelled', audit_head: { row_count: 3 } });
  });

  it('a missing control state with a log is rolled forward, and a resume then sees the crash', async () => {
    await run('resume');
    fs.rmSync(stateFile('control-state.json'));
    writeStateFile(ws.stateDir, 'policy-checkpoint.json', checkpointText('run-primary'));
    const outcome = await run('resume');
    expect(outcome.recoveryReport).toMatchObject({ crash_detected: true, prior_lifecycle_state: 'running', checkpoint_source: 'primary' });
    expect(outcome.recoveryReport?.diagnostics[0]).toMatch(/^control state is missing but the audit log holds 1 row:/);
  });

  it('a Tau-written state (no audit head) that agrees with the log is left alone', async () => {
    await run('pause');
    const state = readState();
    delete state.audit_head;
    fs.writeFileSync(stateFile('control-state.json'), serializeControlState(state));
    const status = await run('status');
    expect(status.diagnostics).toEqual([]);
    expect(status.report.control_state).toEqual(state);
  });
});

describe('runControlCommand: the lock', () => {
  it('stale temp files of dead writers are removed by the next mutating command', async () => {
    await run('pause');
    const temp = writeStateFile(ws.stateDir, '.control-state.json.tmp-999999999-abcdef', 'half a state');
    await run('resume');
    expect(fs.existsSync(temp)).toBe(false);
  });

  it('usage errors are exit 2', async () => {
    const error = await failure('pause', { dryRun: true });
    expect(exitCodeForError(error)).toBe(2);
  });
});
