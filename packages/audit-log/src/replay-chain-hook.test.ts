import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuditRow, ControlAction } from '@tau/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAuditRow } from './append-audit-row.js';
import { AuditChainFold } from './audit-chain-fold.js';
import { replayAuditLog } from './replay-audit-log.js';
import { verifyAuditChain } from './verify-audit-chain.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-chain-hook-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const row = (action: Exclude<ControlAction, 'status'>): AuditRow => ({
  schema_version: 1,
  timestamp_unix_ms: 1,
  principal: 'ops',
  action,
  action_key: `control:rl:${action}`,
  lifecycle_state: 'paused',
  idempotent: false,
  rollback_checkpoint: null,
  recovery_checkpoint_source: null,
});

describe('replayAuditLog chainFold hook', () => {
  it('gives the same findings as audit verify, in one pass, for an intact and an edited log', () => {
    const log = path.join(dir, 'control-audit.jsonl');
    let head = { row_count: 0, last_row_sha256: null as string | null };
    for (const action of ['pause', 'resume', 'pause', 'cancel'] as const) head = appendAuditRow(log, row(action), head);
    for (const content of [fs.readFileSync(log, 'utf8'), fs.readFileSync(log, 'utf8').replace('"resume"', '"cancel"')]) {
      fs.writeFileSync(log, content);
      const fold = new AuditChainFold({ expectedHead: null, headSource: 'missing' });
      replayAuditLog(log, { chainFold: fold, collectActions: false });
      const viaReplay = fold.finish(log, null);
      const viaVerify = verifyAuditChain(log, { expectedHead: null, headSource: 'missing' });
      expect(viaReplay).toEqual(viaVerify);
      expect(fold.tailPosition.end_offset).toBe(fs.statSync(log).size);
    }
    expect(verifyAuditChain(log).problems.map((p) => p.kind)).toEqual(['edited_or_deleted']);
  });
});
