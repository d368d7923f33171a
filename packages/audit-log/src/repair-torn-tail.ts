import fs from 'node:fs';
import path from 'node:path';
import { replaceFileAtomically, truncateFileDurably } from '@tau/durable-fs';
import { openRegularFile, readRegularFile } from '@tau/schemas';
import { AuditRepairError } from './audit-log-errors.js';
import { locateLogTail } from './audit-log-tail.js';
import { readBytesAt } from './read-bytes-at.js';

/** What `repairTornTail` did. */
export interface TornTailRepair {
  /** Where the torn bytes now are (`<log>.torn-<unix_ms>`). */
  quarantine_path: string;
  byte_length: number;
  /** Where the torn line started; the log was truncated to this length. */
  offset: number;
  /** True when an earlier, interrupted repair had already quarantined these exact bytes. */
  reused_quarantine: boolean;
}

const QUARANTINE_INFIX = '.torn-';

/**
 * The quarantine file name for a repair at `nowMs`: `<base>.torn-<unix_ms>`,
 * moved on by a millisecond while the name is taken, so a second repair in the
 * same millisecond never overwrites the first one's bytes.
 */
export function quarantineNameFor(baseName: string, nowMs: number, taken: ReadonlySet<string>): string {
  let ms = nowMs;
  while (taken.has(`${baseName}${QUARANTINE_INFIX}${ms}`)) ms += 1;
  return `${baseName}${QUARANTINE_INFIX}${ms}`;
}

/** An existing quarantine file of this log holding exactly `tail`, if any. */
function findQuarantineWithBytes(dir: string, quarantineNames: string[], tail: Buffer): string | undefined {
  for (const name of quarantineNames) {
    const candidate = path.join(dir, name);
    try {
      if (fs.statSync(candidate).size !== tail.length) continue;
      // Bounded by the tail's own length: a quarantine that grew is not a match.
      if (readRegularFile(candidate, { maxBytes: tail.length }).equals(tail)) return candidate;
    } catch {
      // Vanished or unreadable: not a match.
    }
  }
  return undefined;
}

/**
 * Moves a torn final line (bytes after the last `\n`) out of the audit log:
 * first writes them atomically to `<log>.torn-<unix_ms>`, then truncates the
 * log to its last complete row, durably. A crash in between leaves both
 * copies; running repair again then finds the quarantine that already holds
 * these exact bytes and only truncates, so bytes are never duplicated or lost.
 * Returns null when the log is missing or ends cleanly. Never touches complete
 * lines, however malformed.
 */
export function repairTornTail(filePath: string, now: () => number = Date.now): TornTailRepair | null {
  try {
    let fd: number;
    try {
      fd = openRegularFile(filePath).fd;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    let tail: Buffer;
    let offset: number;
    try {
      const { size, completeLength } = locateLogTail(fd);
      if (completeLength === size) return null;
      offset = completeLength;
      tail = readBytesAt(fd, offset, size - offset);
    } finally {
      fs.closeSync(fd);
    }
    const dir = path.dirname(filePath);
    const baseName = path.basename(filePath);
    const quarantineNames = fs.readdirSync(dir).filter((name) => name.startsWith(`${baseName}${QUARANTINE_INFIX}`));
    const existing = findQuarantineWithBytes(dir, quarantineNames.sort(), tail);
    const quarantinePath = existing ?? path.join(dir, quarantineNameFor(baseName, now(), new Set(quarantineNames)));
    if (existing === undefined) replaceFileAtomically(quarantinePath, tail);
    truncateFileDurably(filePath, offset);
    return { quarantine_path: quarantinePath, byte_length: tail.length, offset, reused_quarantine: existing !== undefined };
  } catch (cause) {
    throw new AuditRepairError(`failed to repair the torn tail of training control audit log '${filePath}'`, { cause });
  }
}
