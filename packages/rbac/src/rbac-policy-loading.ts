import fs from 'node:fs';
import {
  ArtifactParseError,
  SMALL_FILE_MAX_BYTES,
  UnsupportedSchemaVersionError,
  parseRbacPolicy,
  readRegularFile,
  type RbacPolicy,
} from '@tau/schemas';
import { buildMissingPolicyAuthorizer, buildRbacAuthorizer, type RbacAuthorizer } from './rbac-authorizer.js';
import { RbacPolicyError, RbacPolicyRuleError } from './rbac-policy-errors.js';

// fatal: a policy that is not UTF-8 is rejected, not patched with U+FFFD;
// ignoreBOM: a BOM stays in the text so the JSON parser can name it.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads, validates and loads the policy file at `policyPath` into an
 * in-memory casbin enforcer. A missing file fails closed: the authorizer
 * denies everything with `deny_policy_missing` and explains itself in
 * `missingPolicyError`. A file that cannot be used (a directory, unreadable,
 * not JSON, breaking a policy rule) throws `RbacPolicyError` naming the path.
 */
export async function loadRbacPolicy(policyPath: string): Promise<RbacAuthorizer> {
  const text = readPolicyText(policyPath);
  if (text === undefined) return buildMissingPolicyAuthorizer(policyPath);
  return buildRbacAuthorizer(parsePolicyText(text, policyPath), policyPath);
}

/** A policy larger than this is refused unread: no command's memory grows with a hostile file. */
export const MAX_POLICY_FILE_BYTES = SMALL_FILE_MAX_BYTES;

function readPolicyText(policyPath: string): string | undefined {
  let bytes: Buffer;
  try {
    bytes = readRegularFile(policyPath, { maxBytes: MAX_POLICY_FILE_BYTES });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !isSymbolicLink(policyPath)) return undefined;
    throw new RbacPolicyError('read', policyPath, { cause: describeReadFailure(code, error) });
  }
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw new RbacPolicyError('read', policyPath, { cause: new Error('the file is not valid UTF-8') });
  }
}

// A symbolic link to nowhere is a broken setup to report, not an absent policy.
function isSymbolicLink(path: string): boolean {
  return fs.lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() === true;
}

// Node's own messages repeat the path that our message already names.
function describeReadFailure(code: string | undefined, error: unknown): unknown {
  switch (code) {
    case 'ENOENT':
      return new Error('the path is a symbolic link to a file that does not exist');
    case 'EACCES':
    case 'EPERM':
      return new Error('permission denied');
    case 'ENOTDIR':
      return new Error('a parent of the path is not a directory');
    case 'ENOTREGULAR':
    case 'ETOOLARGE':
      return error;
    default:
      return error;
  }
}

function parsePolicyText(text: string, policyPath: string): RbacPolicy {
  try {
    return parseRbacPolicy(text, policyPath);
  } catch (error) {
    // @tau/schemas wraps a version mismatch in its parse error; here it is a broken policy rule, in Tau's words.
    if (error instanceof ArtifactParseError && error.cause instanceof UnsupportedSchemaVersionError) {
      const found = error.cause.found;
      throw new RbacPolicyError('invalid', policyPath, {
        cause: new RbacPolicyRuleError(`unsupported rbac schema version ${found} (expected ${error.cause.expected})`),
      });
    }
    // Same message as ArtifactParseError's; re-raised as ours so callers catch one error type.
    if (error instanceof ArtifactParseError) throw new RbacPolicyError('parse', policyPath, { cause: error.cause });
    throw error;
  }
}
