// The commit point is honest: once the row is durable, a failed write after
// it is a warning (the command succeeds), the head file stays behind, and the
// next command rolls the committed row forward. Real files in temp dirs.
import fs from 'node:fs';
import path from 'node:path';
import { readAuditHeadFile, readControlState, serializeControlState } from '@tau/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitAuditRow } from './audit-commit.js';
import { buildAuditRow, buildNextControlState, type CommitRecordInput } from './commit-records.js';
import { runControlCommand } from './control-command.js';
import { bytesNeededForCommit, assertFreeSpace } from './free-space-check.js';
import { stateDirPaths } from './state-dir-paths.js';
import { createWorkspace, OPERATOR, removeWorkspace, type Workspace } from './test-support/state-dir-fixture.js';

let ws: Workspace;
beforeEach(() => {
  ws = createWorkspace();
});
afterEach(() => removeWorkspace(ws));

const input: CommitRecordInput = {
  nowUnixMs: 5,
  principal: OPERATOR,
  action: 'cancel',
  actionKey: 'control:rl:cancel',
  transition: { lifecycle_state: 'cancelled', idempotent: false, rollback_checkpoint: null },
  recoveryCheckpointSource: null,
};

describe('commitAuditRow', () => {
  it('a write failing after the commit point is a warning; the head file stays behind; the next command rolls forward', async () => {
    const req = { stateDir: ws.stateDir, rbacPolicyPath: ws.policyPath, principal: OPERATOR };
    await runControlCommand({ ...req, action: 'pause' });
    const paths = stateDirPaths(ws.stateDir);
    const headBefore = readAuditHeadFile(paths.controlAuditHead);
    const committed = commitAuditRow({
      paths,
      row: buildAuditRow(input),
      tail: { row_count: 1, last_row_sha256: headBefore?.last_row_sha256 ?? null },
      acceptedFindings: [],
      afterCommit: () => [
        {
          label: `control state '${paths.controlState}'`,
          run: () => {
            throw new Error('disk on fire');
          },
        },
      ],
    });
    expect(committed.head.row_count).toBe(2);
    expect(committed.warnings).toHaveLength(1);
    expect(committed.warnings[0]).toMatch(/^warning: the audit row is committed, but writing control state .* failed: disk on fire; the next command rolls it forward$/);
    expect(readAuditHeadFile(paths.controlAuditHead)).toEqual(headBefore);
    expect(readControlState(paths.controlState)?.lifecycle_state).toBe('paused');

    const status = await runControlCommand({ ...req, action: 'status' });
    expect(status.report.control_state?.lifecycle_state).toBe('cancelled');
    expect(status.diagnostics[0]).toMatch(/committed row after the audit head file/);
    const again = await runControlCommand({ ...req, action: 'cancel' });
    expect(again.report.idempotent).toBe(true);
    expect(readAuditHeadFile(paths.controlAuditHead)?.row_count).toBe(3);
  });

  it('records where the row landed: offsets that match the file', () => {
    const paths = stateDirPaths(ws.stateDir);
    fs.mkdirSync(ws.stateDir);
    fs.writeFileSync(paths.controlAudit, '\n');
    const committed = commitAuditRow({
      paths,
      row: buildAuditRow(input),
      tail: { row_count: 0, last_row_sha256: null },
      acceptedFindings: [{ kind: 'truncated', line: null }],
      afterCommit: (head) => [
        { label: 'state', run: () => fs.writeFileSync(paths.controlState, serializeControlState(buildNextControlState(input, head))) },
      ],
    });
    const size = fs.statSync(paths.controlAudit).size;
    expect(committed.headFile).toMatchObject({ row_count: 1, last_row_offset: 1, end_offset: size, accepted_findings: [{ kind: 'truncated', line: null }] });
    expect(readAuditHeadFile(path.join(ws.stateDir, 'control-audit.head.json'))).toEqual(committed.headFile);
  });
});

describe('free space', () => {
  it('grows with the report resume writes; a file system without the room refuses', () => {
    expect(bytesNeededForCommit('resume', 1_000_000)).toBeGreaterThan(bytesNeededForCommit('pause', 1_000_000));
    expect(bytesNeededForCommit('pause', 1_000_000)).toBe(bytesNeededForCommit('pause', 0));
    expect(() => assertFreeSpace(ws.root, Number.MAX_SAFE_INTEGER)).toThrow(/not enough free space .* nothing was changed/);
    expect(() => assertFreeSpace(ws.root, 1)).not.toThrow();
  });
});
