import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../parse-command-line.js';
import type { RemoteAnswer } from './control-api-request.js';
import { renderRemoteAnswer } from './remote-answer-output.js';
import { planRemoteCall, type RemoteCall } from './remote-call-plan.js';

const REPORT = {
  schema_version: 1,
  state_dir: 'state',
  control_state_path: 'state/control-state.json',
  control_audit_path: 'state/control-audit.jsonl',
  action: 'pause',
  principal: 'ci:bot',
  idempotent: false,
  rollback_checkpoint: null,
  checkpoint_run_id: null,
  recovery_report_path: null,
  recovery_checkpoint_source: null,
  recovery_crash_detected: null,
  recovery_replayed_audit_events: null,
  control_state: null,
  training_status: null,
};

function answer(document: unknown): RemoteAnswer {
  return { text: JSON.stringify(document, null, 2), document };
}

const control = (json: boolean): RemoteCall => ({ method: 'POST', path: 'x', answer: 'control', json });

describe('renderRemoteAnswer', () => {
  it('control, JSON: the answer as sent; text: the local line, escaped', () => {
    const sent = answer(REPORT);
    expect(renderRemoteAnswer(control(true), sent, false)).toEqual({ stdout: sent.text, exitCode: 0 });
    const evil = answer({ ...REPORT, principal: 'ci:bot\n\u001b[2J' });
    expect(renderRemoteAnswer(control(false), evil, false).stdout).toContain('principal=ci:bot\\n\\u{1b}[2J ');
  });

  it('diagnostics go to stderr as locally: all on a terminal, only warnings otherwise', () => {
    const sent = answer({ ...REPORT, diagnostics: ['torn tail moved aside', 'warning: state file not replaced'] });
    expect(renderRemoteAnswer(control(false), sent, true).stderrNotice).toBe('diagnostic: torn tail moved aside\nwarning: state file not replaced');
    expect(renderRemoteAnswer(control(false), sent, false).stderrNotice).toBe('warning: state file not replaced');
  });

  it.each([
    ['control', { ...REPORT, action: 'explode' }],
    ['control', { ...REPORT, schema_version: 2 }],
    ['control', [REPORT]],
    ['doctor', { state_dir: 'state' }],
    ['audit-verify', { path: 'x', ok: true }],
    ['rbac-whoami', { principal: 'p' }],
  ] as const)('a %s answer of the wrong shape is a failure, never output', (kind, document) => {
    const call: RemoteCall = { method: 'GET', path: 'x', answer: kind, json: false };
    expect(() => renderRemoteAnswer(call, answer(document), false)).toThrow(/the control server's answer is not/);
  });
});

describe('planRemoteCall', () => {
  const plan = async (args: string[]) => planRemoteCall((await parseCommandLine(args, {})) as Parameters<typeof planRemoteCall>[0], 'alpha');

  it.each([
    [['status'], { method: 'GET', path: 'api/v1/runs/alpha/status', answer: 'control', json: false }],
    [['pause', '--json'], { method: 'POST', path: 'api/v1/runs/alpha/actions/pause', body: {}, answer: 'control', json: true }],
    [['resume', '--dry-run'], { method: 'POST', path: 'api/v1/runs/alpha/actions/resume', body: { dry_run: true }, answer: 'control', json: false }],
    [['--prompt-optimization-control-rollback', '/cp.json'], { method: 'POST', path: 'api/v1/runs/alpha/actions/rollback', body: { checkpoint: '/cp.json' }, answer: 'control', json: false }],
    [['doctor', '--json'], { method: 'GET', path: 'api/v1/runs/alpha/doctor', answer: 'doctor', json: true }],
    [['audit', 'verify'], { method: 'GET', path: 'api/v1/runs/alpha/audit/verify', answer: 'audit-verify', json: false }],
    [['rbac', 'whoami'], { method: 'GET', path: 'api/v1/runs/alpha/whoami', answer: 'rbac-whoami', json: false }],
    [['rbac', 'check', 'pause'], { method: 'GET', path: 'api/v1/runs/alpha/whoami', answer: 'rbac-check', json: false, actionKey: 'control:rl:pause' }],
    [['rbac', 'check', 'control:rl:status', '--json'], { method: 'GET', path: 'api/v1/runs/alpha/whoami', answer: 'rbac-check', json: true, actionKey: 'control:rl:status' }],
  ])('%j -> %j', async (args, expected) => {
    expect(await plan(args)).toEqual(expected);
  });

  it.each([
    [['lock', 'status'], 'lock'],
    [['audit', 'repair'], 'audit repair'],
    [['checkpoint', 'inspect', 'f'], 'checkpoint inspect'],
    [['schemas', 'export', 'd'], 'schemas export'],
  ])('%j has no route: usage error naming it', async (args, name) => {
    await expect(plan(args)).rejects.toThrow(`tau-po ${name} is not available with --server`);
  });

  it('rbac check of an unknown action: the local usage error, before any request', async () => {
    await expect(plan(['rbac', 'check', 'explode'])).rejects.toThrow("unknown control action 'explode'");
  });
});
