// The optional `<checkpoint>.sha256` sidecar, in sha256sum's format
// (`<64 hex>  <file name>` per line). Pure text handling; no I/O.
import { CheckpointDigestError } from './checkpoint-errors.js';

/** The sidecar path of a checkpoint. */
export function digestSidecarPath(checkpointPath: string): string {
  return `${checkpointPath}.sha256`;
}

/** Sidecar text listing `digests` for `fileName`, one sha256sum line each. */
export function formatDigestSidecar(digests: readonly string[], fileName: string): string {
  return digests.map((digest) => `${digest}  ${fileName}\n`).join('');
}

const SIDECAR_LINE = /^([0-9a-fA-F]{64}) [ *](.+)$/;

/**
 * The digests a sidecar lists (lower-case hex). Usually one; two only after a
 * save was interrupted between its steps (see saveCheckpoint). The file name
 * on each line is informational: the sidecar belongs to the checkpoint whose
 * name it extends, even after both were renamed together.
 */
export function parseDigestSidecar(text: string): string[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const digests = lines.map((line) => SIDECAR_LINE.exec(line.replace(/\r$/, ''))?.[1]?.toLowerCase());
  if (digests.length === 0 || digests.some((digest) => digest === undefined)) {
    throw new Error('expected lines of "<64 hex digits>  <file name>" (sha256sum format)');
  }
  return digests as string[];
}

/** Throws unless `actual` is one of the digests the sidecar lists. */
export function checkDigest(expected: readonly string[], actual: string, sidecarPath: string): void {
  if (expected.includes(actual)) return;
  throw new CheckpointDigestError('checkpoint digest mismatch', {
    cause: new Error(`${sidecarPath} says ${expected.join(' or ')}, file hashes to ${actual}`),
  });
}
