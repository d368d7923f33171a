import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { readRegularFileIfExists } from '@tau/schemas';
import path from 'node:path';
import { fsyncDirectory, replaceFileAtomically } from '@tau/durable-fs';
import {
  POLICY_CHECKPOINT_KEYS,
  policyCheckpointHeaderSchema,
  validateJsonValue,
  type PolicyCheckpoint,
} from '@tau/schemas';
import { digestSidecarPath, formatDigestSidecar, parseDigestSidecar } from './checkpoint-digest.js';
import { CheckpointFormatError, CheckpointSaveError } from './checkpoint-errors.js';

/** Options of `saveCheckpoint`. */
export interface SaveCheckpointOptions {
  /** Also write `<path>.sha256`, which every later load verifies. Default false. */
  readonly digest?: boolean;
}

/** What `saveCheckpoint` wrote. */
export interface SavedCheckpoint {
  readonly path: string;
  readonly bytes: number;
  /** The checkpoint's sha256 when a sidecar was written, else null. */
  readonly sha256: string | null;
}

/** Pretty JSON (two-space indent) with Tau's keys first in Tau's order, then any others in theirs. */
export function serializeCheckpoint(checkpoint: PolicyCheckpoint): string {
  const ordered: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of POLICY_CHECKPOINT_KEYS) ordered[key] = checkpoint[key];
  for (const [key, value] of Object.entries(checkpoint)) {
    if (!(key in ordered)) ordered[key] = value;
  }
  return JSON.stringify(ordered, null, 2);
}

type ExistingSidecar = { readonly digests: string[] } | 'absent' | 'unusable';

function readExistingSidecar(sidecarPath: string): ExistingSidecar {
  let text: string;
  try {
    const bytes = readRegularFileIfExists(sidecarPath);
    if (bytes === undefined) return 'absent';
    text = bytes.toString('utf8');
  } catch {
    return 'unusable';
  }
  try {
    return { digests: parseDigestSidecar(text) };
  } catch {
    return 'unusable';
  }
}

function removeFileDurably(filePath: string): void {
  fs.rmSync(filePath, { force: true });
  fsyncDirectory(path.dirname(filePath));
}

/**
 * Writes a checkpoint atomically (temp file, fsync, rename, fsync directory):
 * at every instant the file holds the old or the new checkpoint, complete.
 * The checkpoint is validated first, so we never write one Tau would reject.
 *
 * With `digest`, the `<path>.sha256` sidecar is kept such that no crash point
 * makes a loadable state look corrupt:
 * 1. if a sidecar exists, it is replaced by one listing its digests plus the
 *    new one (the old file still matches; so will the new one); an unreadable
 *    sidecar is removed instead;
 * 2. the checkpoint is replaced;
 * 3. the sidecar is replaced by one listing only the new digest.
 * Without `digest`, an existing sidecar is removed (durably) before the
 * checkpoint is replaced, since it would no longer match.
 * Serializes in memory: states must fit in one JavaScript string (~512 MB).
 */
export function saveCheckpoint(
  filePath: string,
  checkpoint: PolicyCheckpoint,
  options: SaveCheckpointOptions = {},
): SavedCheckpoint {
  try {
    try {
      validateJsonValue(policyCheckpointHeaderSchema, checkpoint);
    } catch (cause) {
      throw new CheckpointFormatError('refusing to write an invalid checkpoint', { cause });
    }
    const bytes = Buffer.from(serializeCheckpoint(checkpoint), 'utf8');
    const sidecarPath = digestSidecarPath(filePath);
    const fileName = path.basename(filePath);
    const existing = readExistingSidecar(sidecarPath);
    if (!options.digest) {
      if (existing !== 'absent') removeFileDurably(sidecarPath);
      replaceFileAtomically(filePath, bytes);
      return { path: filePath, bytes: bytes.length, sha256: null };
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (existing === 'unusable') removeFileDurably(sidecarPath);
    else if (existing !== 'absent') {
      const transitional = [...new Set([...existing.digests, sha256])];
      replaceFileAtomically(sidecarPath, formatDigestSidecar(transitional, fileName));
    }
    replaceFileAtomically(filePath, bytes);
    replaceFileAtomically(sidecarPath, formatDigestSidecar([sha256], fileName));
    return { path: filePath, bytes: bytes.length, sha256 };
  } catch (cause) {
    throw new CheckpointSaveError(`save checkpoint ${filePath}`, { cause });
  }
}
