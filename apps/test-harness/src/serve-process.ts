// A `tau-po serve` child for the server drills and benches: real process,
// 127.0.0.1 on a free port, a token for the scenario's operator.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { OPERATOR_PRINCIPAL } from './rbac-policy-fixture.js';
import { tauPoChildEnvironment } from './child-environment.js';
import { runTauPo } from './tau-po-process.js';
import type { TauPoBinary } from './tau-po-binary.js';

/** A running `tau-po serve`. */
export interface ServeProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly stderr: () => string;
}

/** Creates a token for `principal` in `tokenStore` and returns it. */
export async function createServeToken(binary: TauPoBinary, tokenStore: string, principal = OPERATOR_PRINCIPAL): Promise<string> {
  const run = await runTauPo(binary, ['token', 'create', '--principal', principal, '--token-store', tokenStore, '--label', 'harness']);
  if (run.exitCode !== 0) throw new Error(`tau-po token create failed: ${run.stderr.trim()}`);
  return run.stdout.trim();
}

/** The token store the drills use beside a scenario's state dir. */
export function tokenStoreBeside(stateDir: string): string {
  return join(stateDir, '..', 'control-tokens.json');
}

/** Starts `tau-po serve` for one run (`default`); resolves on its readiness line, rejects if it exits first. */
export async function startServe(
  binary: TauPoBinary,
  run: { stateDir: string; policyPath: string; tokenStore: string },
): Promise<ServeProcess> {
  const args = ['serve', '--listen', '127.0.0.1:0', '--log-level', 'warn', '--state-dir', run.stateDir, '--rbac-policy', run.policyPath, '--token-store', run.tokenStore];
  const child = spawn(binary.command, [...binary.prefixArgs, ...args], { env: tauPoChildEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolvePromise) =>
    child.once('exit', (code, signal) => resolvePromise({ code, signal })),
  );
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`tau-po serve not ready after 30 s: ${stderr}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = /^tau-po serve listening on (http\S+)\n/.exec(stdout);
      if (match !== null) {
        clearTimeout(timer);
        resolvePromise(match[1] as string);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`tau-po serve exited (${code ?? signal}) before it was ready: ${stderr}`));
    });
  });
  if (child.pid === undefined) throw new Error('tau-po serve has no pid');
  return { child, pid: child.pid, url, exited, stderr: () => stderr };
}

/** SIGTERM and wait (a clean stop: in-flight commands commit first). */
export async function stopServe(server: ServeProcess): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
  await server.exited;
}

/** What one HTTP request to the server got. */
export interface ServeAnswer {
  readonly status: number;
  /** The error document's message, '' for a 2xx. */
  readonly message: string;
}

/** POSTs a mutating action as the token's principal; never rejects for an HTTP status (only for a failed connection). */
export async function postAction(url: string, token: string, action: string, body: Record<string, unknown> = {}): Promise<ServeAnswer> {
  const response = await fetch(`${url}/api/v1/runs/default/actions/${action}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.ok) return { status: response.status, message: '' };
  let message = text;
  try {
    message = (JSON.parse(text) as { error: { message: string } }).error.message;
  } catch {
    // not the API's error document: keep the raw text for the report
  }
  return { status: response.status, message };
}
