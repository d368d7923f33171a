import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArtifactParseError, ArtifactReadError } from './artifact-errors.js';
import { readControlState } from './control-state.js';
import { formatErrorChain } from './error-chain.js';
import { readFixture } from './fixture-files.test-support.js';
import { readRecoveryReport } from './recovery-report.js';
import { thrownBy } from './thrown-error.test-support.js';
import { readTrainingStatus } from './training-status.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tau-schemas-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('artifact readers', () => {
  it('return undefined for a file that does not exist', () => {
    expect(readControlState(join(dir, 'control-state.json'))).toBeUndefined();
    expect(readTrainingStatus(join(dir, 'status.json'))).toBeUndefined();
    expect(readRecoveryReport(join(dir, 'recovery-report.json'))).toBeUndefined();
  });

  it('read and parse an existing file', () => {
    const path = join(dir, 'control-state.json');
    writeFileSync(path, readFixture('control-state.tau.json'));
    expect(readControlState(path)).toMatchObject({ lifecycle_state: 'rollback_requested', last_action: 'rollback' });
    const statusPath = join(dir, 'status.json');
    writeFileSync(statusPath, readFixture('status.rl-optimizer.tau.json'));
    expect(readTrainingStatus(statusPath)?.rl_optimizer?.mean_total_loss).toBe(1);
    const reportPath = join(dir, 'recovery-report.json');
    writeFileSync(reportPath, readFixture('recovery-report.tau.json'));
    expect(readRecoveryReport(reportPath)?.checkpoint_source).toBe('fallback');
  });

  it('name the path in Tau’s message when the file is malformed', () => {
    const path = join(dir, 'recovery-report.json');
    writeFileSync(path, '{"schema_version": 1');
    const error = thrownBy(() => readRecoveryReport(path));
    expect(error).toBeInstanceOf(ArtifactParseError);
    expect(formatErrorChain(error)).toMatch(new RegExp(`^failed to parse training recovery report '${path}': invalid JSON`));
  });

  it('see a byte order mark written as raw bytes', () => {
    const path = join(dir, 'control-state.json');
    writeFileSync(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(readFixture('control-state.tau.json'))]));
    expect(formatErrorChain(thrownBy(() => readControlState(path)))).toMatch(/^failed to parse training control state '.*': file starts with a UTF-8 byte order mark/);
  });

  it('refuse invalid UTF-8 instead of replacing it', () => {
    const path = join(dir, 'status.json');
    writeFileSync(path, Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]));
    const error = thrownBy(() => readTrainingStatus(path));
    expect(error).toBeInstanceOf(ArtifactReadError);
    expect(formatErrorChain(error)).toBe(`failed to read training status file '${path}': file is not valid UTF-8`);
  });

  it('report a directory where a file belongs as a read error naming what it is', () => {
    const path = join(dir, 'control-state.json');
    mkdirSync(path);
    const error = thrownBy(() => readControlState(path));
    expect(error).toBeInstanceOf(ArtifactReadError);
    expect(formatErrorChain(error)).toBe(`failed to read training control state '${path}': the path is a directory, not a regular file`);
  });
});
