// `pnpm bench`: cost of the strict reader on the artifacts the control path reads on every command.
import { readFileSync } from 'node:fs';
import { bench, describe } from 'vitest';
import { parseControlState, parseJsonStrict, parseRecoveryReport, serializeControlState } from '../src/index.js';

const controlStateText = readFileSync(new URL('../src/fixtures/control-state.extended.json', import.meta.url), 'utf8');
const controlState = parseControlState(controlStateText, 'bench');

// A resume after a long run: 100k replayed actions, ~1.4 MB.
const bigReportText = JSON.stringify(
  {
    ...JSON.parse(readFileSync(new URL('../src/fixtures/recovery-report.tau.json', import.meta.url), 'utf8')),
    replayed_audit_events: 100_000,
    replayed_actions: Array.from({ length: 100_000 }, (_, i) => ['pause', 'resume', 'cancel'][i % 3]),
  },
  null,
  2,
);

// Worst case for the unsafe-integer scan: 16-digit runs everywhere (inside strings), so the full token scan runs.
const digitHeavyText = JSON.stringify({ rows: Array.from({ length: 20_000 }, (_, i) => ({ n: i, id: `${1234567890123456 + i}` })) });

describe('strict artifact reading', () => {
  bench('parseControlState (small file)', () => {
    parseControlState(controlStateText, 'bench');
  });
  bench('serializeControlState (small file)', () => {
    serializeControlState(controlState);
  });
  bench('parseRecoveryReport (100k replayed actions)', () => {
    parseRecoveryReport(bigReportText, 'bench');
  });
  bench('JSON.parse (100k replayed actions, baseline)', () => {
    JSON.parse(bigReportText);
  });
  bench('parseJsonStrict (20k rows of 16-digit strings, full scan)', () => {
    parseJsonStrict(digitHeavyText);
  });
  bench('JSON.parse (20k rows of 16-digit strings, baseline)', () => {
    JSON.parse(digitHeavyText);
  });
});
