import type { DrillCaseResult, DrillCell, DrillOperation, DrillResult } from './drill.js';
import type { FailpointKind } from './drill-plan.js';

/** The cell of `entry` crashed at `operation` with `failpoint`, if it ran. */
function cellAt(result: DrillResult, entry: DrillCaseResult, operation: DrillOperation, failpoint: FailpointKind): DrillCell | undefined {
  return result.cells.find(
    (cell) => cell.command === entry.command && cell.scenario === entry.scenario && cell.operation === operation.index && cell.failpoint === failpoint,
  );
}

/** The drill as a JSON document (what `drill-results.json` holds). */
export function renderDrillJson(result: DrillResult): string {
  return `${JSON.stringify(
    {
      schema_version: 1,
      cli: result.cli,
      started_at: result.startedAt,
      wall_ms: result.wallMs,
      cells_total: result.cells.length,
      passed: result.passed,
      failed: result.failed,
      cases: result.cases.map((entry) => ({
        command: entry.command,
        scenario: entry.scenario,
        durable_operations: entry.operations.map((operation) => ({ index: operation.index, kind: operation.kind, file: operation.file })),
        baseline_violations: entry.baselineViolations,
      })),
      cells: result.cells.map((cell) => ({
        command: cell.command,
        scenario: cell.scenario,
        operation: cell.operation,
        operation_kind: cell.operationKind,
        operation_file: cell.operationFile,
        failpoint: cell.failpoint,
        result: cell.passed ? 'pass' : 'fail',
        crashed_run: cell.crashedRunEnd,
        follow_up_resume: cell.followUpEnd,
        violations: cell.violations,
        kept_dir: cell.keptDir,
        leftover_temp_files: cell.leftoverTempFiles,
      })),
    },
    null,
    2,
  )}\n`;
}

/** `284 cells (...): 284 passed, 0 failed`, plus failed uncrashed runs when there are any. */
function describeCounts(result: DrillResult): string {
  const failedCells = result.cells.length - result.passed;
  const failedCases = result.cases.filter((entry) => entry.baselineViolations.length > 0).length;
  const cases = failedCases === 0 ? '' : `; ${failedCases} uncrashed runs failed`;
  return `${result.cells.length} cells (command x starting scenario x durable operation x failpoint kind): ${result.passed} passed, ${failedCells} failed${cases}`;
}

function mark(passed: boolean | undefined): string {
  if (passed === undefined) return '-';
  return passed ? 'pass' : '**FAIL**';
}

/** The matrix as Markdown: one row per (command, scenario, operation), a column per failpoint kind. */
export function renderDrillMarkdown(result: DrillResult): string {
  const lines = [
    '# Crash drill',
    '',
    `${describeCounts(result)}; ${(result.wallMs / 1000).toFixed(1)} s.`,
    '',
    '`crash@N` kills tau-po immediately before its N-th durable operation; `torn@N` writes half of operation N (write/append) and then kills it.',
    'After each kill: every artifact parses (the audit log may end in a torn line), the control state is the state some prefix of the log implies, no committed audit row is lost or changed, the chain verifies; then `resume` succeeds or fails closed, and the invariants hold exactly.',
    '',
    '| command | scenario | op | kind | file | crash@N | torn@N |',
    '| --- | --- | ---: | --- | --- | --- | --- |',
  ];
  for (const entry of result.cases) {
    if (entry.baselineViolations.length > 0) {
      lines.push(`| ${entry.command} | ${entry.scenario} | - | - | uncrashed run failed | **FAIL** | **FAIL** |`);
      continue;
    }
    for (const operation of entry.operations) {
      const crash = cellAt(result, entry, operation, 'crash');
      const torn = cellAt(result, entry, operation, 'torn');
      lines.push(
        `| ${entry.command} | ${entry.scenario} | ${operation.index} | ${operation.kind} | \`${operation.file}\` | ${mark(crash?.passed)} | ${mark(torn?.passed)} |`,
      );
    }
  }
  const failures = [
    ...result.cases.flatMap((entry) => entry.baselineViolations.map((violation) => `- ${entry.command} / ${entry.scenario}, uncrashed run: ${violation.invariant}: ${violation.detail}`)),
    ...result.cells.flatMap((cell) =>
      cell.violations.map(
        (violation) =>
          `- ${cell.command} / ${cell.scenario} / ${cell.failpoint}@${cell.operation} (${cell.operationKind} \`${cell.operationFile}\`): ${violation.invariant}: ${violation.detail}${cell.keptDir === null ? '' : ` (kept: \`${cell.keptDir}\`)`}`,
      ),
    ),
  ];
  const leftovers = result.cells.filter((cell) => cell.leftoverTempFiles.length > 0).length;
  lines.push('', `Temp files of killed writers still present after the follow-up \`resume\`: ${leftovers} of ${result.cells.length} cells (informational; not an invariant).`);
  if (failures.length > 0) lines.push('', '## Violations', '', ...failures);
  return `${lines.join('\n')}\n`;
}

/** A compact console matrix: one line per case, one character per cell (. pass, X fail). */
export function renderDrillSummary(result: DrillResult): string {
  const width = Math.max(...result.cases.map((entry) => `${entry.command} / ${entry.scenario}`.length), 10);
  const lines = result.cases.map((entry) => {
    const label = `${entry.command} / ${entry.scenario}`.padEnd(width);
    if (entry.baselineViolations.length > 0) return `${label}  uncrashed run FAILED: ${entry.baselineViolations[0]?.detail ?? ''}`;
    const row = (failpoint: FailpointKind) =>
      entry.operations
        .map((operation) => {
          const cell = cellAt(result, entry, operation, failpoint);
          return cell === undefined ? '?' : cell.passed ? '.' : 'X';
        })
        .join('');
    return `${label}  ops=${String(entry.operations.length).padStart(2)}  crash ${row('crash')}  torn ${row('torn')}`;
  });
  lines.push(`${describeCounts(result)} (${(result.wallMs / 1000).toFixed(1)} s)`);
  return lines.join('\n');
}
