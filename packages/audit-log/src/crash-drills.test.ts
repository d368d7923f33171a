// Crash drills: a real child process runs append or repair with a failpoint at
// each durable operation in turn (killed before it, or with its write torn in
// half by SIGKILL), and we check what it left: no complete row lost or changed,
// the new row absent, complete or a torn tail that replay reports, torn bytes
// never lost or duplicated, and the next command recovering without hand repair.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuditHead, AuditRow } from '@tau/schemas';
import { runNodeChild, type ChildOutcome } from '@tau/vitest-config/run-node-child';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { appendAuditRow } from './append-audit-row.js';
import { repairTornTail } from './repair-torn-tail.js';
import { replayAuditLog } from './replay-audit-log.js';
import { verifyAuditChain } from './verify-audit-chain.js';
import { controlRow } from './test-support/audit-row-examples.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-audit-crash-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function runAuditChild(args: string[], env: Record<string, string> = {}): ChildOutcome {
  return runNodeChild(inject('auditRunnerPath'), args, env);
}

/** How many durable operations `args` performs on a copy of `setup` (via the failpoint trace). */
function countDurableOperations(setup: (logPath: string) => void, args: (logPath: string) => string[]): number {
  const scratch = fs.mkdtempSync(path.join(dir, 'trace-'));
  const logPath = path.join(scratch, 'control-audit.jsonl');
  setup(logPath);
  const trace = path.join(dir, `trace-${path.basename(scratch)}.tsv`);
  const outcome = runAuditChild(args(logPath), { TAU_PO_FAILPOINT_TRACE: trace });
  expect(outcome.status, outcome.stderr).toBe(0);
  return fs.readFileSync(trace, 'utf8').trim().split('\n').length;
}

const FAILPOINT_MODES = ['crash', 'torn'] as const;

function quarantineFiles(stateDir: string): string[] {
  return fs.readdirSync(stateDir).filter((name) => /^control-audit\.jsonl\.torn-\d+$/.test(name));
}

describe('crash during appendAuditRow', () => {
  const scenarios: { name: string; setup: (logPath: string) => void }[] = [
    {
      name: 'onto an existing chained log',
      setup: (logPath) => {
        let head: AuditHead = { row_count: 0, last_row_sha256: null };
        for (const [i, action] of (['pause', 'resume', 'pause'] as const).entries()) {
          head = appendAuditRow(logPath, controlRow(action, 100 + i), head);
        }
      },
    },
    { name: 'creating the log', setup: () => {} },
  ];

  for (const scenario of scenarios) {
    it(`${scenario.name}: at every durable operation, the log keeps every committed row and has the new row whole, absent or torn`, () => {
      const row: AuditRow = controlRow('cancel', 999, { os_user: 'drill', host: 'drill-host' });
      const args = (logPath: string) => {
        const head = fs.existsSync(logPath) ? replayAuditLog(logPath).head : { row_count: 0, last_row_sha256: null };
        return ['append', logPath, JSON.stringify(row), JSON.stringify(head)];
      };
      const operations = countDurableOperations(scenario.setup, args);
      expect(operations).toBeGreaterThanOrEqual(scenario.name === 'creating the log' ? 3 : 2);

      // The bytes a successful append adds.
      const reference = path.join(fs.mkdtempSync(path.join(dir, 'ref-')), 'control-audit.jsonl');
      scenario.setup(reference);
      const referenceBefore = fs.existsSync(reference) ? fs.readFileSync(reference) : Buffer.alloc(0);
      expect(runAuditChild(args(reference)).status).toBe(0);
      const newLine = fs.readFileSync(reference).subarray(referenceBefore.length);

      for (let at = 1; at <= operations; at += 1) {
        for (const mode of FAILPOINT_MODES) {
          const stateDir = fs.mkdtempSync(path.join(dir, `${mode}-${at}-`));
          const logPath = path.join(stateDir, 'control-audit.jsonl');
          scenario.setup(logPath);
          const before = fs.existsSync(logPath) ? fs.readFileSync(logPath) : Buffer.alloc(0);
          const rowsBefore = replayAuditLog(logPath).event_count;
          const outcome = runAuditChild(args(logPath), { TAU_PO_FAILPOINT: `${mode}@${at}` });
          expect(outcome.signal, `${mode}@${at}: ${outcome.stderr}`).toBe('SIGKILL');

          const after = fs.existsSync(logPath) ? fs.readFileSync(logPath) : Buffer.alloc(0);
          expect(after.subarray(0, before.length).equals(before), `${mode}@${at}: committed rows changed`).toBe(true);
          const added = after.subarray(before.length);
          expect(newLine.subarray(0, added.length).equals(added), `${mode}@${at}: foreign bytes appended`).toBe(true);

          const replay = replayAuditLog(logPath);
          if (added.length === 0) {
            expect(replay).toMatchObject({ event_count: rowsBefore, torn_tail: null });
          } else if (added.length === newLine.length) {
            expect(replay).toMatchObject({ event_count: rowsBefore + 1, torn_tail: null });
          } else {
            expect(replay).toMatchObject({ event_count: rowsBefore, torn_tail: { byte_length: added.length } });
            // The next command recovers without hand repair: quarantine the tail, then append.
            expect(repairTornTail(logPath)?.byte_length).toBe(added.length);
          }
          const head = appendAuditRow(logPath, controlRow('resume', 1000), replayAuditLog(logPath).head);
          expect(verifyAuditChain(logPath, head)).toMatchObject({ ok: true });
        }
      }
    });
  }
});

describe('crash during repairTornTail', () => {
  const complete = [
    JSON.stringify(controlRow('pause', 1)),
    JSON.stringify(controlRow('resume', 2)),
  ].join('\n') + '\n';
  const torn = '{"schema_version":1,"timestamp_unix_ms":3,"principal":"local:al';
  const setup = (logPath: string) => fs.writeFileSync(logPath, complete + torn);

  it('at every durable operation, the torn bytes are never lost, and re-running repair never duplicates them', () => {
    const operations = countDurableOperations(setup, (logPath) => ['repair', logPath]);
    // Quarantine (write, fsync, rename, fsync dir), then truncate (truncate, fsync).
    expect(operations).toBe(6);
    for (let at = 1; at <= operations; at += 1) {
      for (const mode of FAILPOINT_MODES) {
        const stateDir = fs.mkdtempSync(path.join(dir, `${mode}-${at}-`));
        const logPath = path.join(stateDir, 'control-audit.jsonl');
        setup(logPath);
        const outcome = runAuditChild(['repair', logPath], { TAU_PO_FAILPOINT: `${mode}@${at}` });
        expect(outcome.signal, `${mode}@${at}: ${outcome.stderr}`).toBe('SIGKILL');

        const log = fs.readFileSync(logPath, 'utf8');
        expect([complete, complete + torn], `${mode}@${at}: log damaged`).toContain(log);
        const quarantined = quarantineFiles(stateDir).map((name) => fs.readFileSync(path.join(stateDir, name), 'utf8'));
        expect(quarantined.every((text) => text === torn), `${mode}@${at}: partial quarantine`).toBe(true);
        expect(log.endsWith(torn) || quarantined.length === 1, `${mode}@${at}: torn bytes lost`).toBe(true);

        // The next repair finishes the job: log clean, the torn bytes in exactly one quarantine file.
        const rerun = runAuditChild(['repair', logPath]);
        expect(rerun.status, rerun.stderr).toBe(0);
        expect(fs.readFileSync(logPath, 'utf8')).toBe(complete);
        const after = quarantineFiles(stateDir);
        expect(after).toHaveLength(1);
        expect(fs.readFileSync(path.join(stateDir, after[0] as string), 'utf8')).toBe(torn);
        expect(replayAuditLog(logPath)).toMatchObject({ event_count: 2, torn_tail: null });
      }
    }
  });
});
