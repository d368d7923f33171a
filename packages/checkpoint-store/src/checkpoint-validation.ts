// Tau's checkpoint rules, applied to a scan summary (pure: no I/O). Fields are
// checked in Tau's key order; each failure is one of REFERENCE.md's messages.
import { CHECKPOINT_VERSION, POLICY_CHECKPOINT_KEYS, type PolicyCheckpointHeader } from '@tau/schemas';
import { CheckpointDuplicateKeyError, CheckpointFormatError } from './checkpoint-errors.js';
import { MAX_CAPTURED_TOKEN_BYTES, type TopLevelMember, type TopLevelScan } from './top-level-scan.js';

/** Byte length of the JSON text of each state object. */
export interface CheckpointStateBytes {
  readonly policy_state: number;
  readonly optimizer_state: number;
}

/** What a valid checkpoint's scan yields. */
export interface ValidatedCheckpoint {
  readonly header: PolicyCheckpointHeader;
  readonly state_bytes: CheckpointStateBytes;
}

type KnownField = (typeof POLICY_CHECKPOINT_KEYS)[number];

const KNOWN_FIELDS: ReadonlySet<string> = new Set(POLICY_CHECKPOINT_KEYS);
const utf8 = new TextDecoder();
const MAX_DESCRIBED_LENGTH = 40;
const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER);

function decodeToken(raw: Uint8Array): string {
  return utf8.decode(raw);
}

function decodeKey(member: TopLevelMember): string | undefined {
  // A key over the capture limit cannot be a checkpoint field name.
  return member.rawKey === undefined ? undefined : (JSON.parse(decodeToken(member.rawKey)) as string);
}

function excerpt(text: string): string {
  return text.length > MAX_DESCRIBED_LENGTH ? `${text.slice(0, MAX_DESCRIBED_LENGTH)}...` : text;
}

function describeValue(member: TopLevelMember): string {
  switch (member.kind) {
    case 'object': return 'an object';
    case 'array': return 'an array';
    case 'string':
      return member.rawValue === undefined
        ? `a string of ${member.valueBytes} bytes`
        : JSON.stringify(excerpt(JSON.parse(decodeToken(member.rawValue)) as string));
    case 'number':
      return member.rawValue === undefined ? `a number of ${member.valueBytes} digits` : excerpt(decodeToken(member.rawValue));
    default:
      return member.kind;
  }
}

/** The value of a u64 field; only plain integer literals qualify (serde rejects `1.0` and `1e3` for u64). */
function readU64(field: KnownField, member: TopLevelMember): number {
  const literal = member.kind === 'number' && member.rawValue !== undefined ? decodeToken(member.rawValue) : undefined;
  if (member.kind === 'number' && member.rawValue === undefined) {
    throw new CheckpointFormatError(
      `checkpoint field \`${field}\` must be a non-negative integer no larger than 2^53-1, got ${describeValue(member)}`,
    );
  }
  if (literal === undefined || !/^(0|[1-9][0-9]*)$/.test(literal)) {
    throw new CheckpointFormatError(`checkpoint field \`${field}\` must be a non-negative integer, got ${describeValue(member)}`);
  }
  const unsafe = literal.length > MAX_SAFE_DIGITS.length ||
    (literal.length === MAX_SAFE_DIGITS.length && literal > MAX_SAFE_DIGITS);
  if (unsafe) {
    throw new CheckpointFormatError(
      `checkpoint field \`${field}\` integer ${excerpt(literal)} exceeds 2^53-1 (9007199254740991)`,
    );
  }
  return Number(literal);
}

function collectKnownFields(scan: TopLevelScan): Map<KnownField, TopLevelMember> {
  const fields = new Map<KnownField, TopLevelMember>();
  // Every repeated top-level key is refused, known or not (Tau keeps the last silently).
  const seen = new Set<string>();
  for (const member of scan.members) {
    const key = decodeKey(member);
    if (key === undefined) continue;
    if (seen.has(key)) {
      throw new CheckpointDuplicateKeyError(
        KNOWN_FIELDS.has(key) ? `duplicate checkpoint field \`${key}\`` : `duplicate checkpoint key ${JSON.stringify(key)}`,
      );
    }
    seen.add(key);
    if (KNOWN_FIELDS.has(key)) fields.set(key as KnownField, member); // unknown keys are Tau's to ignore
  }
  return fields;
}

/**
 * Applies Tau's checkpoint rules to a scan summary and returns the header
 * (the scalar fields) and the byte sizes of the two state objects, or throws
 * `CheckpointFormatError` with the first rule broken.
 */
export function validateCheckpointScan(scan: TopLevelScan): ValidatedCheckpoint {
  if (scan.rootKind !== 'object') throw new CheckpointFormatError('checkpoint payload must be a JSON object');
  const fields = collectKnownFields(scan);
  const require = (field: KnownField): TopLevelMember => {
    const member = fields.get(field);
    if (member === undefined) throw new CheckpointFormatError(`missing required checkpoint field \`${field}\``);
    return member;
  };

  const versionMember = require('checkpoint_version');
  const version = versionMember.kind === 'number' && versionMember.rawValue !== undefined &&
    /^(0|[1-9][0-9]*)$/.test(decodeToken(versionMember.rawValue))
    ? decodeToken(versionMember.rawValue)
    : undefined;
  if (version === undefined) {
    throw new CheckpointFormatError(
      `checkpoint field \`checkpoint_version\` must be a non-negative integer, got ${describeValue(versionMember)}`,
    );
  }
  if (version !== String(CHECKPOINT_VERSION)) {
    throw new CheckpointFormatError(`unsupported checkpoint_version ${excerpt(version)}; expected ${CHECKPOINT_VERSION}`);
  }

  const runIdMember = require('run_id');
  if (runIdMember.kind !== 'string') {
    throw new CheckpointFormatError(`checkpoint field \`run_id\` must be a string, got ${describeValue(runIdMember)}`);
  }
  if (runIdMember.rawValue === undefined) {
    throw new CheckpointFormatError(`checkpoint field \`run_id\` is longer than ${MAX_CAPTURED_TOKEN_BYTES} bytes`);
  }
  const runId = JSON.parse(decodeToken(runIdMember.rawValue)) as string;
  if (runId.trim() === '') throw new CheckpointFormatError('checkpoint field `run_id` must not be empty');

  const policyState = require('policy_state');
  if (policyState.kind !== 'object') throw new CheckpointFormatError('`policy_state` must be a JSON object');
  const optimizerState = require('optimizer_state');
  if (optimizerState.kind !== 'object') throw new CheckpointFormatError('`optimizer_state` must be a JSON object');

  const header: PolicyCheckpointHeader = {
    checkpoint_version: CHECKPOINT_VERSION,
    run_id: runId,
    global_step: readU64('global_step', require('global_step')),
    optimizer_step: readU64('optimizer_step', require('optimizer_step')),
    saved_at_unix_seconds: readU64('saved_at_unix_seconds', require('saved_at_unix_seconds')),
  };
  return {
    header,
    state_bytes: { policy_state: policyState.valueBytes, optimizer_state: optimizerState.valueBytes },
  };
}
