// Run only while Node builds the startup snapshot. V8 compiles a function the
// first time it runs, and zod and casbin build their parsers lazily on first
// use; done here, that work is stored in the snapshot instead of being
// repeated by every tau-po process (measured: see README, "Cold start").
//
// Only read-only paths run: `status` and `resume --dry-run` load, replay,
// authorize, restore and report but never write through @tau/durable-fs, so
// its failpoint configuration (read lazily from the environment on the first
// durable write) is still unread in the snapshot. The integration tests check
// that failpoints and every command still work from the snapshot.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runControlCommand } from '@tau/recovery';
import {
  serializeAuditRow,
  serializeControlReport,
  serializeControlState,
  serializeRecoveryReport,
  serializeTrainingStatus,
  type AuditRow,
  type ControlState,
  type TrainingStatus,
} from '@tau/schemas';
import { parseCommandLine } from './parse-command-line.js';

const WARM_UP_PRINCIPAL = 'local:snapshot-warm-up';

function writeWarmUpStateDir(dir: string): { stateDir: string; policyPath: string } {
  const stateDir = path.join(dir, 'state');
  const policyPath = path.join(dir, 'rbac.json');
  fs.mkdirSync(stateDir);
  fs.writeFileSync(
    policyPath,
    JSON.stringify({
      schema_version: 1,
      team_mode: true,
      bindings: [{ principal: 'local:*', roles: ['operator'] }],
      roles: { operator: { allow: ['control:rl:*'], deny: ['control:rl:none'] } },
    }),
  );
  const state: ControlState = {
    schema_version: 1,
    updated_unix_ms: 1,
    lifecycle_state: 'running',
    last_action: 'resume',
    principal: WARM_UP_PRINCIPAL,
    rollback_checkpoint: null,
  };
  const row: AuditRow = {
    schema_version: 1,
    timestamp_unix_ms: 1,
    principal: WARM_UP_PRINCIPAL,
    action: 'resume',
    action_key: 'control:rl:resume',
    lifecycle_state: 'running',
    idempotent: false,
    rollback_checkpoint: null,
    recovery_checkpoint_source: null,
  };
  const status: TrainingStatus = {
    schema_version: 1,
    updated_unix_ms: 1,
    run_state: 'running',
    model_ref: 'm',
    store_path: 's',
    total_rollouts: 1,
    succeeded: 1,
    failed: 0,
    cancelled: 0,
  };
  fs.writeFileSync(path.join(stateDir, 'control-state.json'), serializeControlState(state));
  fs.writeFileSync(path.join(stateDir, 'control-audit.jsonl'), serializeAuditRow(row).repeat(3));
  fs.writeFileSync(path.join(stateDir, 'status.json'), serializeTrainingStatus(status));
  fs.writeFileSync(path.join(stateDir, 'policy-checkpoint.json'), '{"checkpoint_version": 1');
  fs.writeFileSync(
    path.join(stateDir, 'policy-checkpoint.rollback.json'),
    JSON.stringify({
      checkpoint_version: 1,
      run_id: 'warm-up',
      policy_state: { w: [0.5] },
      optimizer_state: { s: 1 },
      global_step: 1,
      optimizer_step: 1,
      saved_at_unix_seconds: 1,
    }),
  );
  return { stateDir, policyPath };
}

/**
 * Exercises the control path read-only against a scratch directory (removed
 * afterwards): argv parsing, `status`, and a crash-recovering
 * `resume --dry-run` that falls back from a corrupt primary checkpoint.
 */
export async function warmUpForSnapshot(): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-po-warm-up-'));
  try {
    const { stateDir, policyPath } = writeWarmUpStateDir(scratch);
    const env = { USER: 'snapshot-warm-up' };
    for (const action of ['status', 'resume'] as const) {
      const invocation = await parseCommandLine(
        [action, '--state-dir', stateDir, '--rbac-policy', policyPath, '--json', ...(action === 'resume' ? ['--dry-run'] : [])],
        env,
      );
      if (invocation.kind !== 'control') throw new Error('warm-up: expected a control invocation');
      const outcome = await runControlCommand(invocation.request, env);
      serializeControlReport(outcome.report);
      if (outcome.recoveryReport !== undefined) serializeRecoveryReport(outcome.recoveryReport);
      if (outcome.report.control_state !== null) serializeControlState(outcome.report.control_state);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
