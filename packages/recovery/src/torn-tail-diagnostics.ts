import type { AuditTornTail, TornTailRepair } from '@tau/audit-log';

/** Diagnostic for a torn audit tail that a read-only command saw and left in place. */
export function describeTornTailLeft(tail: AuditTornTail): string {
  return `audit log has a torn final line (line ${tail.line}, ${tail.byte_length} bytes) from an interrupted write; the next mutating command moves it aside`;
}

/** Diagnostic for a torn audit tail that was quarantined before this command appended its row. */
export function describeTornTailRepaired(tail: AuditTornTail, repair: TornTailRepair): string {
  return `audit log had a torn final line (line ${tail.line}, ${repair.byte_length} bytes) from an interrupted write; moved to ${repair.quarantine_path}`;
}
