// A real control server on 127.0.0.1:<free port> over a temp state directory,
// with a policy and a token store holding one token per test principal.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildControlServer, type ControlServerOptions } from '../control-server.js';
import { createToken } from '../token-store.js';

/** The principals the fixture policy knows. */
export const OPERATOR = 'ci:operator';
export const VIEWER = 'ci:viewer';
export const STRANGER = 'ci:stranger';

export const POLICY = {
  schema_version: 1,
  team_mode: true,
  bindings: [
    { principal: OPERATOR, roles: ['operator'] },
    { principal: VIEWER, roles: ['viewer'] },
  ],
  roles: { operator: { allow: ['control:rl:*'] }, viewer: { allow: ['control:rl:status'] } },
};

export interface ServedWorkspace {
  root: string;
  stateDir: string;
  policyPath: string;
  tokenStorePath: string;
  /** Token text per principal. */
  tokens: Record<string, string>;
  tokenIds: Record<string, string>;
  app: FastifyInstance;
  baseUrl: string;
  close(): Promise<void>;
}

/** A valid policy checkpoint's JSON text. */
export function checkpointText(runId: string, globalStep = 40): string {
  return JSON.stringify({
    checkpoint_version: 1,
    run_id: runId,
    policy_state: { weights: [0.5, 0.25] },
    optimizer_state: { lr: 0.001 },
    global_step: globalStep,
    optimizer_step: 20,
    saved_at_unix_seconds: 1_700_000_000,
  });
}

/** Writes status.json (training `running`) and both checkpoints into a state directory. */
export function writeTrainerFiles(stateDir: string): void {
  fs.mkdirSync(stateDir, { recursive: true });
  fs.writeFileSync(
    path.join(stateDir, 'status.json'),
    JSON.stringify({
      schema_version: 1,
      updated_unix_ms: 1_700_000_000_000,
      run_state: 'running',
      model_ref: 'model-a',
      store_path: '.tau/store',
      total_rollouts: 10,
      succeeded: 9,
      failed: 1,
      cancelled: 0,
    }),
  );
  fs.writeFileSync(path.join(stateDir, 'policy-checkpoint.json'), checkpointText('run-primary'));
  fs.writeFileSync(path.join(stateDir, 'policy-checkpoint.rollback.json'), checkpointText('run-fallback', 30));
}

/** Creates the workspace files (no server). */
export function createWorkspaceFiles(): Omit<ServedWorkspace, 'app' | 'baseUrl' | 'close'> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-control-api-'));
  const stateDir = path.join(root, 'state');
  const policyPath = path.join(root, 'rbac.json');
  const tokenStorePath = path.join(root, 'security', 'control-tokens.json');
  fs.writeFileSync(policyPath, JSON.stringify(POLICY));
  writeTrainerFiles(stateDir);
  const tokens: Record<string, string> = {};
  const tokenIds: Record<string, string> = {};
  for (const principal of [OPERATOR, VIEWER, STRANGER]) {
    const { record, token } = createToken(tokenStorePath, { principal, label: `test ${principal}` });
    tokens[principal] = token;
    tokenIds[principal] = record.id;
  }
  return { root, stateDir, policyPath, tokenStorePath, tokens, tokenIds };
}

/** Starts a server over a fresh workspace. */
export async function startServedWorkspace(overrides: Partial<ControlServerOptions> = {}): Promise<ServedWorkspace> {
  const files = createWorkspaceFiles();
  const app = await buildControlServer({
    runs: [{ name: 'default', stateDir: files.stateDir, rbacPolicyPath: files.policyPath }],
    tokenStorePath: files.tokenStorePath,
    logger: false,
    eventPollMs: 100,
    ...overrides,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return {
    ...files,
    app,
    baseUrl: `http://127.0.0.1:${address.port}`,
    async close() {
      await app.close();
      fs.rmSync(files.root, { recursive: true, force: true });
    },
  };
}

/** fetch with a bearer token. */
export function fetchAs(workspace: ServedWorkspace, principal: string | undefined, route: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (principal !== undefined) headers.set('authorization', `Bearer ${workspace.tokens[principal]}`);
  return fetch(`${workspace.baseUrl}${route}`, { ...init, headers });
}

/** POST an action as JSON. */
export function postAction(workspace: ServedWorkspace, principal: string, action: string, body: unknown = {}): Promise<Response> {
  return fetchAs(workspace, principal, `/api/v1/runs/default/actions/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
