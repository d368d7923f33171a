// Every spelling of --dry-run against a crashed state directory, through the
// built bin: the spellings that mean "dry run" and the refused ones change no
// byte; only the spellings that mean "not a dry run" resume for real.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTauPo } from './built-cli.js';
import {
  controlState,
  describeTree,
  makeTempDir,
  policyCheckpoint,
  removeCliWorkspace,
  trainingStatus,
  writeRbacPolicy,
  writeStateDir,
} from './state-dir-fixture.js';

let workDir: string;
const STATE = 'state';

beforeEach(() => {
  workDir = makeTempDir();
  writeRbacPolicy(path.join(workDir, 'rbac.json'));
  // Crashed: lifecycle running, trainer running, checkpoints on disk.
  writeStateDir(path.join(workDir, STATE), {
    controlState: controlState('running', 'resume'),
    trainingStatus: trainingStatus('running'),
    primaryCheckpoint: policyCheckpoint('run-primary', 4200),
    fallbackCheckpoint: policyCheckpoint('run-fallback', 4100),
  });
});

afterEach(() => removeCliWorkspace(workDir));

function resume(spelling: readonly string[]) {
  return runTauPo(['resume', ...spelling, '--state-dir', STATE, '--rbac-policy', 'rbac.json', '--principal', 'local:rl-operator'], {
    cwd: workDir,
  });
}

const DRY = [['--dry-run'], ['--dry-run=true']];
const WRITE = [[], ['--dry-run=false'], ['--no-dry-run']];
const REFUSED = [
  ...['1', '0', 'yes', 'no', 'on', 'off', 'TRUE', 'True', 'FALSE', '', ' true', 'y'].map((value) => [`--dry-run=${value}`]),
  ['--no-dry-run=true'],
  ['--no-dry-run=false'],
  ['--dry-run', 'true'],
  ['--dry-run', 'false'],
];

describe('resume --dry-run spellings on a crashed state directory', () => {
  it.each(DRY)('%j computes the recovery and writes nothing', (...spelling) => {
    const before = describeTree(path.join(workDir, STATE), { directories: true });
    const run = resume(spelling);
    expect(run.status, run.stderr).toBe(0);
    expect(describeTree(path.join(workDir, STATE), { directories: true })).toEqual(before);
  });

  it.each(REFUSED)('%j is a usage error naming the flag, and writes nothing', (...spelling) => {
    const before = describeTree(path.join(workDir, STATE), { directories: true });
    const run = resume(spelling);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toMatch(/ of boolean flag --dry-run; accepted: --dry-run, --dry-run=true, --dry-run=false or --no-dry-run$/);
    expect(describeTree(path.join(workDir, STATE), { directories: true })).toEqual(before);
  });

  it.each(WRITE)('%j resumes for real (restores the checkpoint, writes the report)', (...spelling) => {
    const before = describeTree(path.join(workDir, STATE));
    const run = resume(spelling);
    expect(run.status, run.stderr).toBe(0);
    const after = describeTree(path.join(workDir, STATE));
    expect(after).not.toEqual(before);
    expect(after.has('recovery-report.json')).toBe(true);
    expect(after.has('control-audit.jsonl')).toBe(true);
  });
});
