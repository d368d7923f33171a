// One result is one line: every text renderer, fed hostile values in every
// input-derived field (paths, principals, run ids, audit fields, error
// details, lock records), prints no C0/DEL/C1 or bidirectional-override
// character, keeps its line count, and keeps distinct inputs distinct.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderAuditTimeline, renderAuditVerification } from '@tau/audit-log';
import {
  describeControlError,
  renderControlReportText,
  renderDoctorReport,
  renderLockStatus,
  type LockStatusReport,
} from '@tau/recovery';
import { StateDirBusyError } from '@tau/durable-fs';
import type { AuditReplayRow, ControlReport } from '@tau/schemas';
import { renderCheckpointText, renderCheckpointVerificationText } from './operator-commands.js';
import { renderRbacCheckText, renderRbacWhoamiText } from './rbac-commands.js';

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const UNSAFE_CHARS = [
  ...Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code)),
  ...Array.from({ length: 0x21 }, (_, offset) => String.fromCharCode(0x7f + offset)),
  '\u2028', '\u2029', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069',
];
const hostile = fc.string({
  unit: fc.oneof(fc.constantFrom(...UNSAFE_CHARS), fc.constantFrom('\\', 'n', 'u', '{', '1', 'b', '}', 'x', ' ', '[', '2', 'J')),
  minLength: 1,
  maxLength: 24,
});

/** Every text renderer, given one hostile string for all its input-derived fields. */
const RENDERERS: Record<string, (text: string) => string> = {
  'control text line': (text) =>
    renderControlReportText({
      schema_version: 1, state_dir: text, control_state_path: `${text}/control-state.json`, control_audit_path: `${text}/a`,
      action: 'resume', principal: text, idempotent: false, rollback_checkpoint: text, checkpoint_run_id: text,
      recovery_report_path: text, recovery_checkpoint_source: 'primary', recovery_crash_detected: true,
      recovery_replayed_audit_events: 3,
      control_state: { schema_version: 1, updated_unix_ms: 1, lifecycle_state: 'running', last_action: 'resume', principal: text, rollback_checkpoint: text },
      training_status: { schema_version: 1, updated_unix_ms: 1, run_state: text, model_ref: text, store_path: text, total_rollouts: 1, succeeded: 1, failed: 0, cancelled: 0 },
    } as ControlReport),
  'error chain (stderr)': (text) =>
    describeControlError(new Error(`read checkpoint '${text}'`, { cause: new Error(`bad principal ${text}`) })).document.error.message,
  doctor: (text) =>
    renderDoctorReport({
      state_dir: text, principal: text, lock: null,
      checks: [{ name: text, ok: false, detail: text }, { name: 'ok', ok: true, detail: text }],
      resume_would_succeed: false, resume_crash_detected: null, resume_checkpoint_source: null,
      resume_checkpoint_run_id: text, resume_error: text, resume_exit_code: 1,
    } as Parameters<typeof renderDoctorReport>[0]),
  'audit timeline': (text) =>
    renderAuditTimeline(
      [
        { action: text, principal: text, timestamp_unix_ms: 1, lifecycle_state: 'paused' },
        { action: 'pause', principal: text, timestamp_unix_ms: 9e15 },
      ] as unknown as AuditReplayRow[],
      { color: false },
    ),
  'audit verify text': (text) =>
    renderAuditVerification(
      {
        ok: false, path: text, rows: 2, chained_rows: 1, unchained_rows: 1,
        head: { row_count: 2, last_row_sha256: 'ab' },
        problems: [{ line: 1, kind: 'edited', detail: text }], problems_not_listed: 0, unchained_ranges: [],
        notices: [{ line: null, kind: 'unchained', detail: text }],
      } as unknown as Parameters<typeof renderAuditVerification>[0],
      { json: false },
    ),
  'lock status': (text) =>
    renderLockStatus({
      state_dir: text, lock_path: text, state: 'held', problem: null,
      holder: {
        pid: 7, host: text, command: text, since_unix_ms: 1, age_ms: 5, boot_id: text, pid_namespace: text,
        start_time_ticks: null, verdict: 'unknown', explanation: text, stale: false, complete: true,
      },
    } as unknown as LockStatusReport),
  'lock status (not a lock file)': (text) =>
    renderLockStatus({ state_dir: text, lock_path: text, state: 'not_a_lock_file', holder: null, problem: text }),
  'rbac check': (text) =>
    renderRbacCheckText({
      principal: text, action: text, allowed: true, reason_code: 'allow_role_match', matched_role: text, matched_pattern: text, policy_path: text,
    } as unknown as Parameters<typeof renderRbacCheckText>[0]),
  'rbac whoami': (text) =>
    renderRbacWhoamiText({
      principal: text, source: 'given', policy_path: text,
      decisions: [{ principal: text, action: text, allowed: false, reason_code: 'deny_no_matching_role', matched_role: text, matched_pattern: text, policy_path: text }],
    } as unknown as Parameters<typeof renderRbacWhoamiText>[0]),
  'checkpoint inspect': (text) =>
    renderCheckpointText({
      path: text, bytes: 10, digest_verified: true, state_bytes: { policy_state: 1, optimizer_state: 1 },
      header: { checkpoint_version: 1, run_id: text, global_step: 1, optimizer_step: 1, saved_at_unix_seconds: 1 },
    } as unknown as Parameters<typeof renderCheckpointText>[0]),
  'checkpoint verify': (text) =>
    renderCheckpointVerificationText({
      path: text, valid: false, error: text, bytes: 10, sha256: 'ab', digest: { matches: false },
      header: { checkpoint_version: 1, run_id: text, global_step: 1, optimizer_step: 1, saved_at_unix_seconds: 1 },
    } as unknown as Parameters<typeof renderCheckpointVerificationText>[0]),
};

describe('text output of hostile values', () => {
  for (const [name, render] of Object.entries(RENDERERS)) {
    it(`${name}: no raw control or bidi character, same line count, distinct inputs stay distinct`, () => {
      const lineCount = render('benign').split('\n').length;
      fc.assert(
        fc.property(hostile, hostile, (left, right) => {
          const a = render(left);
          const lines = a.split('\n');
          expect(lines).toHaveLength(lineCount);
          for (const line of lines) expect(line).not.toMatch(UNSAFE);
          if (left !== right) expect(a).not.toBe(render(right));
        }),
        { numRuns: 500 },
      );
    });
  }
});

describe('timestamps outside what Date can show', () => {
  const NOTE = '(unix ms, outside the displayable date range)';
  const holder = (sinceUnixMs: number) => ({
    pid: 7, host: 'h', command: 'c', since_unix_ms: sinceUnixMs, age_ms: 5, boot_id: null, pid_namespace: null,
    start_time_ticks: null, verdict: 'unknown', explanation: 'e', stale: false, complete: true,
  });
  const cases: Array<[string, number, (unixMs: number) => string]> = [];
  for (const unixMs of [8.64e15 + 1, 9e15, 9_007_199_254_740_991, -8.64e15 - 1, 2 ** 64]) {
    // Audit rows carry a u64 timestamp: the reader keeps only non-negative safe integers.
    if (Number.isSafeInteger(unixMs) && unixMs >= 0) {
      cases.push(['audit timeline', unixMs, (ms) => renderAuditTimeline([{ action: 'pause', principal: 'p', timestamp_unix_ms: ms }] as unknown as AuditReplayRow[], { color: false })]);
    }
    cases.push(
      ['lock status', unixMs, (ms) => renderLockStatus({ state_dir: 'd', lock_path: 'd/l', state: 'held', problem: null, holder: holder(ms) } as unknown as LockStatusReport)],
      ['busy error', unixMs, (ms) => describeControlError(new StateDirBusyError(holder(ms) as never, 'd/l')).document.error.message],
    );
  }
  it.each(cases)('%s at %s: the raw number with a note, no "Invalid time value"', (_name, unixMs, render) => {
    const text = render(unixMs);
    expect(text).toContain(`${String(unixMs)} ${NOTE}`);
    expect(text).not.toContain('Invalid time value');
  });
});
