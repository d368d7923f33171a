import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runDrill } from './drill.js';
import { drillCases } from './drill-plan.js';
import { renderDrillMarkdown } from './drill-report.js';
import { resolveTauPoBinary, type TauPoBinary } from './tau-po-binary.js';

const stateFirstCli = fileURLToPath(new URL('./test-fixtures/state-first-control-cli.mjs', import.meta.url));
const unsafeBinary: TauPoBinary = { path: stateFirstCli, command: process.execPath, prefixArgs: [stateFirstCli] };

describe('crash drill', () => {
  it('the full matrix holds every invariant against the real CLI', async () => {
    const result = await runDrill({ binary: resolveTauPoBinary() });
    expect(result.cases.map((entry) => `${entry.command}/${entry.scenario}`)).toEqual(drillCases().map((entry) => `${entry.command}/${entry.scenario}`));
    for (const entry of result.cases) {
      expect(entry.baselineViolations).toEqual([]);
      expect(entry.operations.length).toBeGreaterThan(0);
    }
    const expectedCells = result.cases.reduce((sum, entry) => sum + entry.operations.length * 2, 0);
    expect(result.cells).toHaveLength(expectedCells);
    const failures = result.cells.filter((cell) => !cell.passed).map((cell) => `${cell.command}/${cell.scenario}/${cell.failpoint}@${cell.operation}: ${JSON.stringify(cell.violations)}`);
    expect(failures).toEqual([]);
    expect(result.cells.every((cell) => cell.crashedRunEnd === 'killed by SIGKILL')).toBe(true);
  }, 300_000);

  it("fails a CLI that writes its control state in place, before the audit row (Tau's order)", async () => {
    // Failing cells keep their dirs for inspection; here failing is the point, so the test removes them.
    const workDir = mkdtempSync(join(tmpdir(), 'tau-po-drill-unsafe-'));
    const result = await runDrill({ binary: unsafeBinary, cases: [{ command: 'pause', scenario: 'clean' }], workDir });
    rmSync(workDir, { recursive: true, force: true });
    expect(result.cases[0]?.baselineViolations).toEqual([]);
    expect(result.cases[0]?.operations.map((operation) => `${operation.kind} ${operation.file}`)).toEqual(['write control-state.json', 'write control-audit.jsonl']);
    const verdicts = Object.fromEntries(result.cells.map((cell) => [`${cell.failpoint}@${cell.operation}`, [...new Set(cell.violations.map((violation) => violation.invariant))].sort()]));
    expect(verdicts).toEqual({
      // Killed before anything was written: nothing to see.
      'crash@1': [],
      // Half a control state: unreadable, and the next command cannot start.
      'torn@1': ['artifacts-parse', 'next-command-recovers'],
      // State written, audit row not: a change with no audit record (the state records a head the log never
      // reached; our head file, which this CLI never writes, still agrees with the log, so the chain verifies).
      'crash@2': ['state-matches-log'],
      // ...and the next append is glued onto the torn half row.
      'torn@2': ['artifacts-parse', 'chain-verifies', 'state-matches-log'],
    });
    expect(result.failed).toBe(3);
    expect(renderDrillMarkdown(result)).toMatch(/\| pause \| clean \| 2 \| write \| `control-audit.jsonl` \| \*\*FAIL\*\* \| \*\*FAIL\*\* \|/);
  }, 60_000);
});
