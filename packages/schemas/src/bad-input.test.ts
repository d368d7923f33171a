import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { validateJsonValue } from './artifact-codec.js';
import { ArtifactParseError, UnsupportedSchemaVersionError } from './artifact-errors.js';
import { auditRowSchema } from './audit-row.js';
import { controlReportSchema } from './control-report.js';
import { parseControlState } from './control-state.js';
import { formatErrorChain } from './error-chain.js';
import { readFixture } from './fixture-files.test-support.js';
import { policyCheckpointHeaderSchema } from './policy-checkpoint.js';
import { parseRbacPolicy } from './rbac-policy.js';
import { parseRecoveryReport } from './recovery-report.js';
import { parseJsonStrict } from './strict-json.js';
import { thrownBy } from './thrown-error.test-support.js';
import { parseTrainingStatus } from './training-status.js';

const PATH = '/state/artifact.json';
const BIG = '18446744073709551615';

interface ArtifactCase {
  name: string;
  parse: (text: string) => unknown;
  /** Tau's outer message for files read by the control plane; none for values validated directly. */
  outer: string | undefined;
  validText: string;
  versionField: string;
  /** Exact message for version 2. */
  versionMessage: string;
  missing: { path: (string | number)[]; message: string };
  wrongType: { path: (string | number)[]; value: unknown; message: string };
  integer: { path: (string | number)[]; negativeMessage: string };
}

function parsedBy<S extends z.ZodMiniType>(schema: S) {
  return (text: string) => validateJsonValue(schema, parseJsonStrict(text));
}

const controlReportText = JSON.stringify({
  schema_version: 1,
  state_dir: '.tau/training',
  control_state_path: '.tau/training/control-state.json',
  control_audit_path: '.tau/training/control-audit.jsonl',
  action: 'resume',
  principal: 'local:alice',
  idempotent: false,
  rollback_checkpoint: null,
  checkpoint_run_id: 'run-1',
  recovery_report_path: '.tau/training/recovery-report.json',
  recovery_checkpoint_source: 'primary',
  recovery_crash_detected: true,
  recovery_replayed_audit_events: 3,
  control_state: JSON.parse(readFixture('control-state.tau.json')),
  training_status: null,
});

const cases: ArtifactCase[] = [
  {
    name: 'control state',
    parse: (text) => parseControlState(text, PATH),
    outer: `failed to parse training control state '${PATH}'`,
    validText: readFixture('control-state.tau.json'),
    versionField: 'schema_version',
    versionMessage: 'unsupported training control schema version 2 (expected 1)',
    missing: { path: ['lifecycle_state'], message: 'field `lifecycle_state`: missing required field (expected one of running, paused, cancelled, rollback_requested)' },
    wrongType: { path: ['lifecycle_state'], value: 'sleeping', message: 'field `lifecycle_state`: expected one of running, paused, cancelled, rollback_requested, got "sleeping"' },
    integer: { path: ['updated_unix_ms'], negativeMessage: 'field `updated_unix_ms`: expected a non-negative integer, got -1' },
  },
  {
    name: 'training status',
    parse: (text) => parseTrainingStatus(text, PATH),
    outer: `failed to parse training status file '${PATH}'`,
    validText: readFixture('status.rl-optimizer.tau.json'),
    versionField: 'schema_version',
    versionMessage: 'unsupported training status schema version 2 (expected 1)',
    missing: { path: ['rl_optimizer', 'samples'], message: 'field `rl_optimizer.samples`: missing required field (expected a non-negative integer)' },
    wrongType: { path: ['run_state'], value: 42, message: 'field `run_state`: expected a string, got 42' },
    integer: { path: ['rl_optimizer', 'trajectories'], negativeMessage: 'field `rl_optimizer.trajectories`: expected a non-negative integer, got -1' },
  },
  {
    name: 'recovery report',
    parse: (text) => parseRecoveryReport(text, PATH),
    outer: `failed to parse training recovery report '${PATH}'`,
    validText: readFixture('recovery-report.tau.json'),
    versionField: 'schema_version',
    versionMessage: 'unsupported training recovery schema version 2 (expected 1)',
    missing: { path: ['diagnostics'], message: 'field `diagnostics`: missing required field (expected an array)' },
    wrongType: { path: ['replayed_actions', 0], value: true, message: 'field `replayed_actions[0]`: expected a string, got true' },
    integer: { path: ['checkpoint_global_step'], negativeMessage: 'field `checkpoint_global_step`: expected a non-negative integer, got -1' },
  },
  {
    name: 'rbac policy',
    parse: (text) => parseRbacPolicy(text, PATH),
    outer: `failed to parse rbac policy '${PATH}'`,
    validText: readFixture('rbac.tau.json'),
    versionField: 'schema_version',
    versionMessage: 'unsupported rbac policy schema version 2 (expected 1)',
    missing: { path: ['bindings', 1, 'roles'], message: 'field `bindings[1].roles`: missing required field (expected an array)' },
    wrongType: { path: ['team_mode'], value: 'yes', message: 'field `team_mode`: expected a boolean, got "yes"' },
    // The policy has no integer fields but its version; a negative one is a type problem, not "unsupported".
    integer: { path: ['schema_version'], negativeMessage: 'field `schema_version`: expected 1, got -1' },
  },
  {
    name: 'audit row',
    parse: parsedBy(auditRowSchema),
    outer: undefined,
    validText: readFixture('control-audit.tau.jsonl').split('\n')[0] ?? '',
    versionField: 'schema_version',
    versionMessage: 'field `schema_version`: expected 1, got 2',
    missing: { path: ['action'], message: 'field `action`: missing required field (expected one of status, pause, resume, cancel, rollback)' },
    wrongType: { path: ['idempotent'], value: 'false', message: 'field `idempotent`: expected a boolean, got "false"' },
    integer: { path: ['timestamp_unix_ms'], negativeMessage: 'field `timestamp_unix_ms`: expected a non-negative integer, got -1' },
  },
  {
    name: 'policy checkpoint',
    parse: parsedBy(policyCheckpointHeaderSchema),
    outer: undefined,
    validText: readFixture('policy-checkpoint.tau.json'),
    versionField: 'checkpoint_version',
    versionMessage: 'field `checkpoint_version`: expected 1, got 2',
    missing: { path: ['run_id'], message: 'field `run_id`: missing required field (expected a string)' },
    wrongType: { path: ['policy_state'], value: [1], message: 'field `policy_state`: expected a JSON object, got an array' },
    integer: { path: ['global_step'], negativeMessage: 'field `global_step`: expected a non-negative integer, got -1' },
  },
  {
    name: 'control report',
    parse: parsedBy(controlReportSchema),
    outer: undefined,
    validText: controlReportText,
    versionField: 'schema_version',
    versionMessage: 'field `schema_version`: expected 1, got 2',
    missing: { path: ['control_state'], message: 'field `control_state`: missing required field (expected a JSON object)' },
    wrongType: { path: ['idempotent'], value: 1, message: 'field `idempotent`: expected a boolean, got 1' },
    integer: { path: ['control_state', 'updated_unix_ms'], negativeMessage: 'field `control_state.updated_unix_ms`: expected a non-negative integer, got -1' },
  },
];

type Json = Record<string | number, unknown>;

/** The valid document with the value at `path` replaced (or deleted when `value` is undefined). */
function edited(text: string, path: (string | number)[], value: unknown): string {
  const document = JSON.parse(text) as Json;
  let parent: Json = document;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Json;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return JSON.stringify(document, null, 2);
}

function failureChain(artifact: ArtifactCase, text: string): string {
  const thrown = thrownBy(() => artifact.parse(text));
  expect(thrown, `expected ${artifact.name} to reject the text`).toBeInstanceOf(Error);
  if (artifact.outer !== undefined) {
    expect(thrown).toBeInstanceOf(ArtifactParseError);
    expect((thrown as Error).message).toBe(artifact.outer);
  }
  return formatErrorChain(thrown);
}

/** The chain after Tau's outer message: the precise cause. */
function causeOf(artifact: ArtifactCase, text: string): string {
  const chain = failureChain(artifact, text);
  return artifact.outer === undefined ? chain : chain.slice(artifact.outer.length + 2);
}

describe.each(cases)('$name bad input', (artifact) => {
  it('accepts the valid document the cases start from', () => {
    expect(() => artifact.parse(artifact.validText)).not.toThrow();
  });

  it('rejects text that is not JSON', () => {
    expect(causeOf(artifact, 'schema_version = 1')).toMatch(/^invalid JSON: Unexpected token/);
  });

  it('rejects a JSON array instead of an object', () => {
    expect(causeOf(artifact, `[${artifact.validText}]`)).toBe('expected a JSON object, got an array');
  });

  it('names a missing field', () => {
    expect(causeOf(artifact, edited(artifact.validText, artifact.missing.path, undefined))).toBe(artifact.missing.message);
  });

  it('names a field of the wrong type and what was expected', () => {
    const { path, value, message } = artifact.wrongType;
    expect(causeOf(artifact, edited(artifact.validText, path, value))).toBe(message);
  });

  it('reports a wrong schema version before any other problem, under the outer message naming the file', () => {
    const text = edited(edited(artifact.validText, [artifact.versionField], 2), artifact.missing.path, undefined);
    expect(causeOf(artifact, text).startsWith(artifact.versionMessage)).toBe(true);
  });

  it('rejects an integer above 2^53-1 instead of rounding it', () => {
    const text = edited(artifact.validText, artifact.integer.path, '__BIG__').replace('"__BIG__"', BIG);
    expect(causeOf(artifact, text)).toMatch(new RegExp(`^field \`[^\`]+\`: integer ${BIG} exceeds 2\\^53-1 \\(9007199254740991\\) at line \\d+, column \\d+$`));
  });

  it('rejects a negative integer', () => {
    expect(causeOf(artifact, edited(artifact.validText, artifact.integer.path, -1))).toBe(artifact.integer.negativeMessage);
  });

  it('rejects a UTF-8 byte order mark', () => {
    expect(causeOf(artifact, `\uFEFF${artifact.validText}`)).toMatch(/^file starts with a UTF-8 byte order mark/);
  });

  it('rejects an empty file', () => {
    expect(causeOf(artifact, '')).toBe('file is empty');
  });
});

describe('schema version errors', () => {
  it.each([
    ['control state', () => parseControlState(versioned('control-state.tau.json', 7), PATH), 'control_state',
      `failed to parse training control state '${PATH}': unsupported training control schema version 7 (expected 1)`],
    ['training status', () => parseTrainingStatus(versioned('status.tau.json', 7), PATH), 'training_status',
      `failed to parse training status file '${PATH}': unsupported training status schema version 7 (expected 1)`],
    ['recovery report', () => parseRecoveryReport(versioned('recovery-report.tau.json', 7), PATH), 'recovery_report',
      `failed to parse training recovery report '${PATH}': unsupported training recovery schema version 7 (expected 1)`],
  ] as const)('names the %s file, with Tau\'s version message as the cause', (_name, parse, kind, chain) => {
    const thrown = thrownBy(parse);
    expect(thrown).toBeInstanceOf(ArtifactParseError);
    expect(thrown).toMatchObject({ artifact: kind, path: PATH });
    const cause = (thrown as Error).cause;
    expect(cause).toBeInstanceOf(UnsupportedSchemaVersionError);
    expect(cause).toMatchObject({ found: 7, expected: 1, path: PATH, artifact: kind });
    expect(formatErrorChain(thrown)).toBe(chain);
  });

  it('treats a version of the wrong type as a field error, not an unsupported version', () => {
    const text = edited(readFixture('status.tau.json'), ['schema_version'], '1');
    expect(formatErrorChain(thrownBy(() => parseTrainingStatus(text, PATH)))).toBe(
      `failed to parse training status file '${PATH}': field \`schema_version\`: expected 1, got "1"`,
    );
  });
});

function versioned(fixture: string, version: number): string {
  return edited(readFixture(fixture), ['schema_version'], version);
}
