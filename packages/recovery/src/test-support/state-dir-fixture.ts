// Real state directories for executor tests: temp dirs with a policy file,
// checkpoints and training status written the way the trainer and Tau do.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serializeTrainingStatus, type TrainingStatus } from '@tau/schemas';

/** The principal every fixture policy binds. */
export const OPERATOR = 'local:rl-operator';

/** Allows the operator every control action; binds a viewer that may only read status. */
export const OPERATOR_POLICY = {
  schema_version: 1,
  team_mode: true,
  bindings: [
    { principal: OPERATOR, roles: ['operator'] },
    { principal: 'local:viewer', roles: ['viewer'] },
  ],
  roles: { operator: { allow: ['control:rl:*'] }, viewer: { allow: ['control:rl:status'] } },
};

/** A fresh temp workspace: `root/state` (not created) and `root/rbac.json`. */
export interface Workspace {
  root: string;
  stateDir: string;
  policyPath: string;
}

/** Creates a temp workspace with the operator policy written. */
export function createWorkspace(policy: unknown = OPERATOR_POLICY): Workspace {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-recovery-'));
  const policyPath = path.join(root, 'rbac.json');
  fs.writeFileSync(policyPath, JSON.stringify(policy));
  return { root, stateDir: path.join(root, 'state'), policyPath };
}

/** Removes a workspace. */
export function removeWorkspace(workspace: Workspace): void {
  fs.rmSync(workspace.root, { recursive: true, force: true });
}

/** A valid policy checkpoint's JSON text. */
export function checkpointText(runId: string, globalStep = 40, optimizerStep = 20): string {
  return JSON.stringify({
    checkpoint_version: 1,
    run_id: runId,
    policy_state: { weights: [0.5, 0.25] },
    optimizer_state: { lr: 0.001 },
    global_step: globalStep,
    optimizer_step: optimizerStep,
    saved_at_unix_seconds: 1_700_000_000,
  });
}

/** Writes a file inside the state directory (creating it). */
export function writeStateFile(stateDir: string, name: string, content: string | Buffer): string {
  fs.mkdirSync(stateDir, { recursive: true });
  const filePath = path.join(stateDir, name);
  fs.writeFileSync(filePath, content);
  return filePath;
}

/** Writes `status.json` with the given run state. */
export function writeTrainingStatus(stateDir: string, runState: string): TrainingStatus {
  const status: TrainingStatus = {
    schema_version: 1,
    updated_unix_ms: 1_700_000_000_000,
    run_state: runState,
    model_ref: 'model-a',
    store_path: '.tau/store',
    total_rollouts: 10,
    succeeded: 9,
    failed: 1,
    cancelled: 0,
  };
  writeStateFile(stateDir, 'status.json', serializeTrainingStatus(status));
  return status;
}

/** Bytes and mtime of every file under a directory (recursively), keyed by relative path. */
export type DirectorySnapshot = Record<string, { bytes: string; mtimeMs: number }>;

/** Snapshots a directory's files; an absent directory is an empty snapshot. */
export function snapshotDirectory(dir: string): DirectorySnapshot {
  const snapshot: DirectorySnapshot = {};
  if (!fs.existsSync(dir)) return snapshot;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const filePath = path.join(entry.parentPath, entry.name);
    const stats = fs.statSync(filePath);
    snapshot[path.relative(dir, filePath)] = {
      bytes: fs.readFileSync(filePath).toString('base64'),
      mtimeMs: stats.mtimeMs,
    };
  }
  return snapshot;
}

/** The audit log's complete (terminated, non-blank) lines, each parsed; a torn tail is left out. */
export function readAuditRows(stateDir: string): Record<string, unknown>[] {
  const filePath = path.join(stateDir, 'control-audit.jsonl');
  if (!fs.existsSync(filePath)) return [];
  const lines = fs.readFileSync(filePath, 'utf8').split('\n');
  return lines
    .slice(0, -1)
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
