// Issue: `resume --dry-run=1` once performed a real resume. Every spelling of
// `--dry-run` runs against its own copy of a crashed state directory through
// the built CLI; only the spellings that mean "write" may change a byte.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTauPo } from './built-cli.js';
import {
  controlState,
  createCliWorkspace,
  describeTree,
  policyCheckpoint,
  removeCliWorkspace,
  tauAuditRows,
  trainingStatus,
  writeStateDir,
} from './state-dir-fixture.js';

let workDir: string;
let policyPath: string;
let count = 0;

beforeAll(() => {
  ({ workDir, policyPath } = createCliWorkspace());
});
afterAll(() => removeCliWorkspace(workDir));

function crashedStateDir(): string {
  count += 1;
  const dir = path.join(workDir, `crashed-${count}`);
  writeStateDir(dir, {
    controlState: controlState('running', 'resume'),
    auditRows: tauAuditRows(3),
    trainingStatus: trainingStatus('running'),
    primaryCheckpoint: policyCheckpoint('run-primary'),
    fallbackCheckpoint: policyCheckpoint('run-fallback'),
  });
  return dir;
}

// [spelling, exit status, writes]
const SPELLINGS: [string[], number, boolean][] = [
  [[], 0, true],
  [['--dry-run'], 0, false],
  [['--dry-run=true'], 0, false],
  [['--dry-run=false'], 0, true],
  [['--no-dry-run'], 0, true],
  ...['1', '0', 'yes', 'no', 'on', 'TRUE', 'True', 'FALSE', ''].map((value): [string[], number, boolean] => [[`--dry-run=${value}`], 2, false]),
  [['--no-dry-run=true'], 2, false],
  [['--no-dry-run=1'], 2, false],
];

describe('every spelling of --dry-run on a crashed state directory', () => {
  it.each(SPELLINGS)('resume %j: exit %i, writes %s', (spelling, status, writes) => {
    const stateDir = crashedStateDir();
    const before = describeTree(stateDir);
    const run = runTauPo(['resume', ...spelling, '--state-dir', stateDir, '--rbac-policy', policyPath, '--principal', 'local:rl-operator']);
    expect(run.status, run.stderr).toBe(status);
    const changed = JSON.stringify([...describeTree(stateDir)]) !== JSON.stringify([...before]);
    expect(changed).toBe(writes);
    if (status === 2) {
      expect(run.stdout).toBe('');
      expect(run.stderr.split('\n')[0]).toMatch(/^--(no-)?dry-run .*use --dry-run, --dry-run=true, --dry-run=false or --no-dry-run$/);
    }
    if (writes) expect(fs.existsSync(path.join(stateDir, 'recovery-report.json'))).toBe(true);
  });
});

describe('an explicit false beats the environment variable', () => {
  it.each([['--json=false'], ['--no-json'], ['--prompt-optimization-control-json=false']])('%s with TAU_PROMPT_OPTIMIZATION_CONTROL_JSON=true prints text', (flag) => {
    const stateDir = crashedStateDir();
    const run = runTauPo(['status', flag, '--state-dir', stateDir, '--rbac-policy', policyPath, '--principal', 'local:rl-operator'], {
      env: { TAU_PROMPT_OPTIMIZATION_CONTROL_JSON: 'true' },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^prompt optimization lifecycle control: action=status /);
  });
});
