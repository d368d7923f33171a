/** A `--size` value such as `300MB`, `1GB`, `512KiB` or a plain byte count is not understood. */
export class ByteSizeError extends Error {
  override name = 'ByteSizeError';
}

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
};

/** Parses a human byte size; decimal units (MB = 10^6) as disk vendors and `ls -lh --si` count. */
export function parseByteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const factor = match ? UNITS[(match[2] ?? '').toLowerCase()] : undefined;
  if (!match || factor === undefined) {
    throw new ByteSizeError(`invalid size ${JSON.stringify(text)} (expected e.g. 300MB, 1GB, 64KiB or a byte count)`);
  }
  const bytes = Math.round(Number(match[1]) * factor);
  if (!Number.isSafeInteger(bytes) || bytes <= 0) throw new ByteSizeError(`size ${JSON.stringify(text)} is out of range`);
  return bytes;
}

/** Formats a byte count for tables: `312.5 MB`. */
export function formatByteSize(bytes: number): string {
  if (bytes >= 999_950_000) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}
