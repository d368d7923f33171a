// Resume's recovery report is committed by resume's audit row: written
// complete under a temporary name first, its SHA-256 recorded in the row
// (`recovery_report_sha256`, a key Tau's reader ignores), and renamed into
// place only after the row is durable. A crash in between leaves the pending
// file; the next command installs it when a committed row names its digest,
// and otherwise moves it aside, so a report of a resume that never
// committed is never installed.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { renameFileDurably, replaceFileAtomically, utf8PiecesOf } from '@tau/durable-fs';
import { openRegularFile, serializeRecoveryReportChunks, type AuditReplayRow, type RecoveryReportToWrite } from '@tau/schemas';
import type { StateDirPaths } from './state-dir-paths.js';

/** The audit row key that commits a recovery report. */
export const RECOVERY_REPORT_DIGEST_KEY = 'recovery_report_sha256';

/** Bytes read at a time when hashing a pending report. */
const HASH_CHUNK_BYTES = 1 << 20;

/** The pieces as UTF-8 bytes, each hashed as it goes by (encoded once, for the hash and the file alike). */
function* hashing(pieces: Iterable<string>, hash: ReturnType<typeof createHash>): Generator<Uint8Array> {
  for (const bytes of utf8PiecesOf(pieces)) {
    hash.update(bytes);
    yield bytes;
  }
}

/** Writes the report durably under its pending name (streamed) and returns its SHA-256 hex. */
export function writePendingRecoveryReport(paths: StateDirPaths, report: RecoveryReportToWrite): string {
  const hash = createHash('sha256');
  replaceFileAtomically(paths.pendingRecoveryReport, hashing(serializeRecoveryReportChunks(report), hash));
  return hash.digest('hex');
}

/** Installs the pending report (after its row is durable). */
export function installPendingRecoveryReport(paths: StateDirPaths): void {
  renameFileDurably(paths.pendingRecoveryReport, paths.recoveryReport);
}

function sha256OfFile(filePath: string): string {
  const hash = createHash('sha256');
  const { fd } = openRegularFile(filePath, { noFollow: true });
  try {
    const buf = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** What a pending report is, judged against the last committed row (pure). */
export type PendingReportVerdict = 'install' | 'quarantine';

/** Install when the last committed mutating row is a resume naming exactly this digest; anything else is uncommitted. */
export function judgePendingReport(digest: string, lastCommittedRow: AuditReplayRow | null): PendingReportVerdict {
  return lastCommittedRow !== null && lastCommittedRow.action === 'resume' && lastCommittedRow[RECOVERY_REPORT_DIGEST_KEY] === digest
    ? 'install'
    : 'quarantine';
}

/** A pending report found at the start of a command, and its verdict; null when there is none. */
export function inspectPendingRecoveryReport(
  paths: StateDirPaths,
  lastCommittedRow: AuditReplayRow | null,
): { digest: string; verdict: PendingReportVerdict } | null {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(paths.pendingRecoveryReport);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  // Not a regular file (a link, a directory): never ours; move it aside unread.
  if (!stat.isFile()) return { digest: '', verdict: 'quarantine' };
  const digest = sha256OfFile(paths.pendingRecoveryReport);
  return { digest, verdict: judgePendingReport(digest, lastCommittedRow) };
}

/**
 * Rolls a pending report forward (its row is committed) or moves it aside to
 * `recovery-report.uncommitted-<unix_ms>.json`; returns the diagnostic, or
 * null when there was nothing pending. Runs under the state-directory lock.
 */
export function settlePendingRecoveryReport(
  paths: StateDirPaths,
  lastCommittedRow: AuditReplayRow | null,
  nowUnixMs: number,
): string | null {
  const pending = inspectPendingRecoveryReport(paths, lastCommittedRow);
  if (pending === null) return null;
  if (pending.verdict === 'install') {
    installPendingRecoveryReport(paths);
    return `recovery report rolled forward: '${paths.pendingRecoveryReport}' is committed by the last resume row (sha256 ${pending.digest.slice(0, 12)}...) and was put in place`;
  }
  const aside = `${paths.recoveryReport.replace(/\.json$/, '')}.uncommitted-${nowUnixMs}.json`;
  renameFileDurably(paths.pendingRecoveryReport, aside);
  return `recovery report '${paths.pendingRecoveryReport}' is not committed by any audit row (a resume that crashed before its commit point): moved aside to '${aside}', not installed`;
}
