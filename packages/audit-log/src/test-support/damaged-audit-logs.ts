// Audit logs for the split properties (replay and verify in byte ranges):
// chained as ours are, with stretches Tau wrote, damaged in every way a
// summary must stop for, and cut points anywhere or at line starts.
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuditChainFoldOptions } from '../audit-chain-fold.js';
import { rowSha256Hex } from '../row-hash.js';

export const ACTIONS = ['pause', 'resume', 'cancel', 'rollback', 'status', 'audit_accept'] as const;
const LIFECYCLE: Record<string, string | null> = {
  pause: 'paused',
  resume: 'running',
  cancel: 'cancelled',
  rollback: 'rollback_requested',
  status: null,
  audit_accept: null,
};
const PRINCIPALS = ['local:alice', 'local:bob', 'ci:nightly'];

/** One row as our CLI writes it (keys in write order), chained to `prev`; `prev` undefined: a row as Tau writes it. */
function rowText(index: number, action: string, prev: string | null | undefined): string {
  const row: Record<string, unknown> = {
    schema_version: 1,
    timestamp_unix_ms: 1_700_000_000_000 + index * 1000,
    principal: PRINCIPALS[index % 3],
    action,
    action_key: `control:rl:${action}`,
    lifecycle_state: LIFECYCLE[action] ?? 'running',
    idempotent: index % 5 === 0,
    rollback_checkpoint: null,
    recovery_checkpoint_source: null,
  };
  if (prev === undefined) return JSON.stringify(row);
  if (prev !== null) row.prev_sha256 = prev;
  row.os_user = 'alice';
  row.host = 'node-1';
  return JSON.stringify(row);
}

/**
 * A log of `actions.length` rows, as lines without line endings: chained, as
 * ours are, except the rows `byTau` marks, written by Tau (no chain keys; the
 * row after one chains on to it).
 */
export function chainedLines(actions: readonly string[], byTau: readonly boolean[] = []): string[] {
  const lines: string[] = [];
  let prev: string | null = null;
  actions.forEach((action, index) => {
    const line = rowText(index, action, byTau[index] === true ? undefined : prev);
    prev = rowSha256Hex(Buffer.from(line));
    lines.push(line);
  });
  return lines;
}

export type Damage =
  | { kind: 'edit' | 'delete' | 'unchain' | 'escape' | 'time_back' | 'no_timestamp' | 'lifecycle' | 'bad_prev' | 'crlf'; at: number }
  | { kind: 'blank' | 'malformed'; at: number; text: string };

const damageArb: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('edit', 'delete', 'unchain', 'escape', 'time_back', 'no_timestamp', 'lifecycle', 'bad_prev', 'crlf'),
    at: fc.nat(),
  }) as fc.Arbitrary<Damage>,
  fc.record({ kind: fc.constant('blank'), at: fc.nat(), text: fc.constantFrom('', '  ', '\t', '\u00a0') }) as fc.Arbitrary<Damage>,
  fc.record({ kind: fc.constant('malformed'), at: fc.nat(), text: fc.constantFrom('{"x', 'not json', '[]', '{"action":7}', '{}') }) as fc.Arbitrary<Damage>,
);

function applyDamage(lines: string[], damage: Damage): void {
  if (lines.length === 0) return;
  const at = damage.at % lines.length;
  const line = lines[at] as string;
  switch (damage.kind) {
    case 'edit':
      lines[at] = line.replace('"idempotent":', '"idempotent" :');
      break;
    case 'delete':
      lines.splice(at, 1);
      break;
    case 'unchain':
      lines[at] = line.replace(/"prev_sha256":"[0-9a-f]{64}",/, '');
      break;
    case 'escape':
      // Declined by the scanner (an escaped string), accepted by the JSON.parse path.
      lines[at] = line.replace('"principal":"', '"principal":"\\u0041');
      break;
    case 'time_back':
      lines[at] = line.replace(/"timestamp_unix_ms":\d+/, '"timestamp_unix_ms":5');
      break;
    case 'no_timestamp':
      lines[at] = line.replace(/"timestamp_unix_ms":\d+,/, '');
      break;
    case 'lifecycle':
      lines[at] = line.replace(/"lifecycle_state":"[a-z_]+"/, '"lifecycle_state":"cancelled"');
      break;
    case 'bad_prev':
      lines[at] = line.replace(/"prev_sha256":"[0-9a-f]{64}"/, '"prev_sha256":"abc"');
      break;
    case 'crlf':
      lines[at] = `${line}\r`;
      break;
    case 'blank':
    case 'malformed':
      lines.splice(at, 0, damage.text);
      break;
  }
}

export interface LogCase {
  text: string;
  headChoice: 'none' | 'missing' | 'legacy' | 'file' | 'file_bad_offset';
  headRow: number;
}

/** The head a state directory would record for the first `headRow` non-blank lines of `text`. */
export function foldOptions(text: string, choice: LogCase['headChoice'], headRow: number): AuditChainFoldOptions {
  if (choice === 'none') return { expectedHead: null, headSource: 'legacy' };
  if (choice === 'missing') return { expectedHead: null, headSource: 'missing' };
  const bytes = Buffer.from(text);
  let offset = 0;
  const rows: { offset: number; end: number; sha256: string }[] = [];
  for (;;) {
    const newline = bytes.indexOf(0x0a, offset);
    if (newline < 0) break;
    const end = newline > offset && bytes[newline - 1] === 0x0d ? newline - 1 : newline;
    if (bytes.subarray(offset, end).toString().trim() !== '') rows.push({ offset, end: newline + 1, sha256: rowSha256Hex(bytes.subarray(offset, end)) });
    offset = newline + 1;
  }
  if (rows.length === 0) return { expectedHead: { row_count: 0, last_row_offset: 0, end_offset: 0, last_row_sha256: null }, headSource: 'file' };
  const row = rows[Math.min(headRow, rows.length) - 1] ?? (rows[0] as (typeof rows)[number]);
  const count = Math.max(1, Math.min(headRow, rows.length));
  return {
    expectedHead: {
      row_count: count,
      last_row_offset: choice === 'file_bad_offset' ? row.offset + 1 : row.offset,
      end_offset: row.end,
      last_row_sha256: row.sha256,
    },
    headSource: choice === 'legacy' ? 'legacy' : 'file',
  };
}

export const logCaseArb: fc.Arbitrary<LogCase> = fc
  .record({
    actions: fc.array(fc.constantFrom(...ACTIONS), { maxLength: 24 }),
    // Stretches of rows written by Tau: none, some, or all of them.
    byTau: fc.oneof(fc.constant([]), fc.array(fc.boolean(), { maxLength: 24 }), fc.constant(Array.from({ length: 24 }, () => true))),
    damage: fc.array(damageArb, { maxLength: 4 }),
    torn: fc.option(fc.constantFrom('{"act', '{"action":"pause"}', ' '), { nil: null }),
    headChoice: fc.constantFrom('none', 'missing', 'legacy', 'file', 'file_bad_offset'),
    headRow: fc.integer({ min: 1, max: 45 }),
  })
  .map(({ actions, byTau, damage, torn, headChoice, headRow }) => {
    const lines = chainedLines(actions, byTau);
    for (const d of damage) applyDamage(lines, d);
    const body = lines.map((line) => `${line}\n`).join('');
    return { text: body + (torn ?? ''), headChoice, headRow };
  });

/** A split point: anywhere in the bytes, or exactly at the start of a line (so damage often opens a range). */
export type Cut = { fraction: number } | { line: number };
export const cutArb: fc.Arbitrary<Cut> = fc.oneof(
  fc.record({ fraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ line: fc.nat() }),
);

export function cutOffset(text: string, cut: Cut): number {
  const bytes = Buffer.from(text);
  if ('fraction' in cut) return Math.floor(cut.fraction * bytes.length);
  const starts = [0];
  for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, at + 1)) starts.push(at + 1);
  // The `\n` before the line: a split moves on to just after it, the line's start.
  return Math.max(0, (starts[cut.line % starts.length] as number) - 1);
}

/** Numbered log files in a temporary directory of their own (`remove` deletes it). */
export class TempLogFiles {
  private readonly dir: string;
  private count = 0;

  constructor(prefix: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  }

  /** Writes `text` to a new file; returns its path. */
  write(text: string): string {
    this.count += 1;
    const file = path.join(this.dir, `log-${this.count}.jsonl`);
    fs.writeFileSync(file, text);
    return file;
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
