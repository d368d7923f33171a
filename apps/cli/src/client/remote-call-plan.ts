// Which control API request stands for a parsed command (pure). A command
// the API has no route for is a usage error naming it: it only makes sense
// on the server's host.
import { rbacCheckActionKeyOf, UsageError } from '@tau/recovery';
import type { CliInvocation } from '../cli-invocation.js';

/** How the answer is printed: which local command's output it reproduces. */
export type RemoteAnswerKind = 'control' | 'doctor' | 'audit-verify' | 'rbac-whoami' | 'rbac-check';

/** One request to the control API and how to print its answer. */
export interface RemoteCall {
  readonly method: 'GET' | 'POST';
  /** Relative to the server's base URL (no leading slash). */
  readonly path: string;
  readonly body?: { dry_run?: boolean; checkpoint?: string };
  readonly answer: RemoteAnswerKind;
  readonly json: boolean;
  /** `rbac check`: the action key whose decision (from whoami) is the answer. */
  readonly actionKey?: string;
}

function runPath(run: string, rest: string): string {
  return `api/v1/runs/${encodeURIComponent(run)}/${rest}`;
}

/** The local-only command's name, for the refusal. */
function commandName(invocation: Exclude<CliInvocation, { kind: 'help' }>): string {
  switch (invocation.kind) {
    case 'control':
      return invocation.request.action;
    case 'audit':
      return `audit ${invocation.subcommand}`;
    case 'checkpoint':
      return `checkpoint ${invocation.subcommand}`;
    case 'rbac-check':
      return 'rbac check';
    case 'rbac-whoami':
      return 'rbac whoami';
    case 'schemas-export':
      return 'schemas export';
    case 'lock':
      return 'lock';
    case 'doctor':
      return 'doctor';
  }
}

/**
 * The request for an invocation (anything but `help`, which is printed
 * locally).
 *
 * @throws UsageError for commands the control API does not offer.
 */
export function planRemoteCall(invocation: Exclude<CliInvocation, { kind: 'help' }>, run: string): RemoteCall {
  switch (invocation.kind) {
    case 'control': {
      const { request, json } = invocation;
      if (request.action === 'status') return { method: 'GET', path: runPath(run, 'status'), answer: 'control', json };
      const body: { dry_run?: boolean; checkpoint?: string } = {
        ...(request.dryRun === true ? { dry_run: true } : {}),
        ...(request.rollbackCheckpoint === undefined ? {} : { checkpoint: request.rollbackCheckpoint }),
      };
      return { method: 'POST', path: runPath(run, `actions/${request.action}`), body, answer: 'control', json };
    }
    case 'doctor':
      return { method: 'GET', path: runPath(run, 'doctor'), answer: 'doctor', json: invocation.json };
    case 'audit':
      if (invocation.subcommand === 'verify') {
        return { method: 'GET', path: runPath(run, 'audit/verify'), answer: 'audit-verify', json: invocation.json };
      }
      break;
    case 'rbac-whoami':
      return { method: 'GET', path: runPath(run, 'whoami'), answer: 'rbac-whoami', json: invocation.json };
    case 'rbac-check':
      // whoami decides every control action for the token's principal; the check is one of them.
      return {
        method: 'GET',
        path: runPath(run, 'whoami'),
        answer: 'rbac-check',
        json: invocation.json,
        actionKey: rbacCheckActionKeyOf(invocation.action),
      };
    default:
      break;
  }
  throw new UsageError(
    `tau-po ${commandName(invocation)} is not available with --server (the control API has no such route); run it on the server's host`,
  );
}
