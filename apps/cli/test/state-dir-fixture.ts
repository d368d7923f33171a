// Real state directories for the integration tests and the cold-start bench,
// written with @tau/schemas' serializers (Tau's bytes).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CONTROL_AUDIT_FILE,
  CONTROL_STATE_FILE,
  FALLBACK_CHECKPOINT_FILE,
  PRIMARY_CHECKPOINT_FILE,
  serializeAuditRow,
  serializeControlState,
  serializeTrainingStatus,
  TRAINING_STATUS_FILE,
  type AuditRow,
  type ControlAction,
  type ControlState,
  type LifecycleState,
  type PolicyCheckpoint,
  type RbacPolicy,
  type TrainingStatus,
} from '@tau/schemas';

/** A fresh directory under the OS temp dir. */
export function makeTempDir(prefix = 'tau-po-cli-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A control state as Tau writes it. */
export function controlState(lifecycle: LifecycleState, lastAction: ControlAction, rollback: string | null = null): ControlState {
  return {
    schema_version: 1,
    updated_unix_ms: 1_717_171_600_000,
    lifecycle_state: lifecycle,
    last_action: lastAction,
    principal: 'local:rl-operator',
    rollback_checkpoint: rollback,
  };
}

/** A training status with the given run state. */
export function trainingStatus(runState: string): TrainingStatus {
  return {
    schema_version: 1,
    updated_unix_ms: 1_717_171_600_000,
    run_state: runState,
    model_ref: 'openai/gpt-4o-mini',
    store_path: '.tau/training/store.sqlite',
    total_rollouts: 128,
    succeeded: 120,
    failed: 6,
    cancelled: 2,
  };
}

/** A small valid policy checkpoint. */
export function policyCheckpoint(runId: string, globalStep = 4200): PolicyCheckpoint {
  return {
    checkpoint_version: 1,
    run_id: runId,
    policy_state: { prompt: 'You are a careful assistant.', weights: [0.25, 0.75] },
    optimizer_state: { step: 525, lr: 0.0003 },
    global_step: globalStep,
    optimizer_step: 525,
    saved_at_unix_seconds: 1_717_171_500,
  };
}

/** `count` audit rows in Tau's format (alternating pause / resume), oldest first. */
export function tauAuditRows(count: number): AuditRow[] {
  const rows: AuditRow[] = [];
  for (let index = 0; index < count; index += 1) {
    const action: ControlAction = index % 2 === 0 ? 'pause' : 'resume';
    rows.push({
      schema_version: 1,
      timestamp_unix_ms: 1_717_171_000_000 + index * 1000,
      principal: 'local:rl-operator',
      action,
      action_key: `control:rl:${action}`,
      lifecycle_state: action === 'pause' ? 'paused' : 'running',
      idempotent: false,
      rollback_checkpoint: null,
      recovery_checkpoint_source: null,
    });
  }
  return rows;
}

/** What to put in a state directory; anything left out is not written. */
export interface StateDirContents {
  readonly controlState?: ControlState;
  readonly auditRows?: readonly AuditRow[];
  /** Raw audit text instead of rows (for malformed logs). */
  readonly auditText?: string;
  readonly trainingStatus?: TrainingStatus;
  /** A checkpoint, or raw text (for corrupted files). */
  readonly primaryCheckpoint?: PolicyCheckpoint | string;
  readonly fallbackCheckpoint?: PolicyCheckpoint | string;
}

function checkpointText(checkpoint: PolicyCheckpoint | string): string {
  return typeof checkpoint === 'string' ? checkpoint : JSON.stringify(checkpoint, null, 2);
}

/** Writes a state directory (created if missing). */
export function writeStateDir(dir: string, contents: StateDirContents): void {
  fs.mkdirSync(dir, { recursive: true });
  if (contents.controlState !== undefined) {
    fs.writeFileSync(path.join(dir, CONTROL_STATE_FILE), serializeControlState(contents.controlState));
  }
  if (contents.auditText !== undefined) {
    fs.writeFileSync(path.join(dir, CONTROL_AUDIT_FILE), contents.auditText);
  } else if (contents.auditRows !== undefined) {
    fs.writeFileSync(path.join(dir, CONTROL_AUDIT_FILE), contents.auditRows.map(serializeAuditRow).join(''));
  }
  if (contents.trainingStatus !== undefined) {
    fs.writeFileSync(path.join(dir, TRAINING_STATUS_FILE), serializeTrainingStatus(contents.trainingStatus));
  }
  if (contents.primaryCheckpoint !== undefined) {
    fs.writeFileSync(path.join(dir, PRIMARY_CHECKPOINT_FILE), checkpointText(contents.primaryCheckpoint));
  }
  if (contents.fallbackCheckpoint !== undefined) {
    fs.writeFileSync(path.join(dir, FALLBACK_CHECKPOINT_FILE), checkpointText(contents.fallbackCheckpoint));
  }
}

/** A team-mode policy: `local:rl-operator` may do everything, `local:observer` only status. */
export const OPERATOR_POLICY: RbacPolicy = {
  schema_version: 1,
  team_mode: true,
  bindings: [
    { principal: 'local:rl-operator', roles: ['operator'] },
    { principal: 'local:observer', roles: ['observer'] },
  ],
  roles: {
    operator: { allow: ['control:rl:*'] },
    observer: { allow: ['control:rl:status'] },
  },
};

/** Writes an RBAC policy file (pretty JSON, as operators write them). */
export function writeRbacPolicy(file: string, policy: RbacPolicy = OPERATOR_POLICY): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(policy, null, 2));
}

/** A temp working directory with `state/` (not created) and `rbac.json` (the operator policy) in it. */
export interface CliWorkspace {
  workDir: string;
  stateDir: string;
  policyPath: string;
}

/** Creates a `CliWorkspace`; remove it with `removeCliWorkspace`. */
export function createCliWorkspace(): CliWorkspace {
  const workDir = makeTempDir();
  const policyPath = path.join(workDir, 'rbac.json');
  writeRbacPolicy(policyPath);
  return { workDir, stateDir: path.join(workDir, 'state'), policyPath };
}

/** Removes a workspace made by `createCliWorkspace` (or any temp dir). */
export function removeCliWorkspace(workDir: string): void {
  fs.rmSync(workDir, { recursive: true, force: true });
}

/**
 * Every file under a directory with its bytes and mtime, for "nothing
 * changed" checks; with `directories`, each directory's mtime too (which
 * also changes when a file is created and removed again, such as the lock).
 */
export function describeTree(
  dir: string,
  options: { directories: boolean } = { directories: false },
): Map<string, { bytes: string; mtimeMs: number }> {
  const entries = new Map<string, { bytes: string; mtimeMs: number }>();
  if (!fs.existsSync(dir)) return entries;
  if (options.directories) entries.set('./', { bytes: '', mtimeMs: fs.statSync(dir).mtimeMs });
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      const stats = fs.statSync(full);
      const relative = path.relative(dir, full);
      if (entry.isDirectory()) {
        if (options.directories) entries.set(`${relative}/`, { bytes: '', mtimeMs: stats.mtimeMs });
        walk(full);
      } else {
        entries.set(relative, { bytes: fs.readFileSync(full).toString('base64'), mtimeMs: stats.mtimeMs });
      }
    }
  };
  walk(dir);
  return entries;
}
