// The I/O of loading: open the checkpoint (following symlinks), read its
// sidecar, and scan it in one pass (hashing the same chunks when a digest is
// wanted). Decides nothing about Tau's rules; see checkpoint-validation.ts.
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import { openRegularFile, readRegularFileIfExists } from '@tau/schemas';
import { locateOffsetInBytes, locateOffsetInFile, type ByteLocation } from './byte-location.js';
import { digestSidecarPath, parseDigestSidecar } from './checkpoint-digest.js';
import { CheckpointLoadError } from './checkpoint-errors.js';
import { scanJsonBytesFast } from './fast-json-scan.js';
import { StreamingJsonScanner } from './streaming-json-scanner.js';
import { JsonSyntaxError, type TopLevelScan } from './top-level-scan.js';

/**
 * Files up to this size are read whole and checked by V8's JSON.parse; larger
 * ones are streamed. JSON.parse can cost ~40x a hostile document's size (see
 * the README for the command measuring it), so the cap keeps the fast path
 * inside the 128 MiB budget for any input.
 */
export const FAST_PATH_MAX_BYTES = 256 * 1024;

/** Chunk size of the streaming scan. */
export const READ_CHUNK_BYTES = 1024 * 1024;

/** What reading a checkpoint file found, before Tau's rules are applied. */
export interface CheckpointFileFacts {
  readonly bytes: number;
  readonly scan: TopLevelScan;
  /** The file's sha256 (hex), computed when asked to or when a sidecar exists. */
  readonly sha256: string | undefined;
  /** The digests the sidecar lists, or undefined when there is no sidecar. */
  readonly sidecarDigests: readonly string[] | undefined;
}

function openCheckpointFile(path: string): { fd: number; size: number } {
  const { fd, stats } = openRegularFile(path);
  return { fd, size: stats.size };
}

function readSidecar(path: string): string[] | undefined {
  const sidecarPath = digestSidecarPath(path);
  let text: string;
  try {
    const bytes = readRegularFileIfExists(sidecarPath);
    if (bytes === undefined) return undefined;
    text = bytes.toString('utf8');
  } catch (error) {
    throw new CheckpointLoadError(`read checkpoint digest ${sidecarPath}`, { cause: error });
  }
  try {
    return parseDigestSidecar(text);
  } catch (cause) {
    throw new CheckpointLoadError(`read checkpoint digest ${sidecarPath}`, { cause });
  }
}

function locatedSyntaxError(error: JsonSyntaxError, location: ByteLocation): JsonSyntaxError {
  return new JsonSyntaxError(
    `${error.message} at line ${location.line}, column ${location.column} (byte ${error.offset})`,
    error.offset,
  );
}

function scanWhole(fd: number, hash: Hash | undefined): { scan: TopLevelScan; bytes: number } {
  const content = fs.readFileSync(fd);
  hash?.update(content);
  try {
    return { scan: scanJsonBytesFast(content), bytes: content.length };
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw locatedSyntaxError(error, locateOffsetInBytes(content, error.offset));
    throw error;
  }
}

function scanStreaming(fd: number, hash: Hash | undefined): { scan: TopLevelScan; bytes: number } {
  const scanner = new StreamingJsonScanner();
  const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  let bytes = 0;
  try {
    for (;;) {
      const read = readChunk(fd, chunk);
      if (read === 0) break;
      const view = chunk.subarray(0, read);
      hash?.update(view);
      scanner.feed(view);
      bytes += read;
    }
    return { scan: scanner.finish(), bytes };
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      throw locatedSyntaxError(error, locateOffsetInFile(fd, error.offset, READ_CHUNK_BYTES));
    }
    throw error;
  }
}

/** Marks read(2) failures so they get the `read checkpoint` context, not `parse`. */
class ChunkReadError extends Error {}

function readChunk(fd: number, chunk: Buffer): number {
  try {
    return fs.readSync(fd, chunk, 0, chunk.length, null);
  } catch (cause) {
    throw new ChunkReadError('read failed', { cause });
  }
}

/**
 * Reads and scans a checkpoint file. Failures: `read checkpoint <path>` (the
 * file cannot be opened or read, or is not a regular file), `read checkpoint
 * digest <path>.sha256`, `parse checkpoint JSON <path>` (not valid JSON).
 */
export function readCheckpointFile(path: string, options: { alwaysHash: boolean }): CheckpointFileFacts {
  let opened: { fd: number; size: number };
  try {
    opened = openCheckpointFile(path);
  } catch (cause) {
    throw new CheckpointLoadError(`read checkpoint ${path}`, { cause });
  }
  try {
    const sidecarDigests = readSidecar(path);
    const hash = options.alwaysHash || sidecarDigests !== undefined ? createHash('sha256') : undefined;
    let result: { scan: TopLevelScan; bytes: number };
    try {
      result = opened.size <= FAST_PATH_MAX_BYTES ? scanWhole(opened.fd, hash) : scanStreaming(opened.fd, hash);
    } catch (error) {
      if (error instanceof JsonSyntaxError) throw new CheckpointLoadError(`parse checkpoint JSON ${path}`, { cause: error });
      const cause = error instanceof ChunkReadError ? error.cause : error;
      throw new CheckpointLoadError(`read checkpoint ${path}`, { cause });
    }
    return { ...result, sha256: hash?.digest('hex'), sidecarDigests };
  } finally {
    fs.closeSync(opened.fd);
  }
}
