/**
 * @tau/audit-log: `control-audit.jsonl`, the control plane's write-ahead log.
 * Streaming replay (fast path with a JSON.parse fallback), durable chained
 * append, torn-tail repair, hash-chain verification and a readable timeline.
 */

/** Streams the rows of an audit log with line numbers and byte offsets (JSON.parse per row). */
export { readAuditLines, type AuditLine } from './read-audit-lines.js';
/** Whether a line is blank as Tau's reader sees it (Rust's `trim`): such lines are skipped, not rows. */
export { isBlankAuditLine } from './blank-line.js';
/** Replays an audit log into recovery metadata (actions, counts, implied lifecycle, torn tail, head). */
export { replayAuditLog } from './replay-audit-log.js';
/** The replay result and its parts. */
export type { AuditReplay, AuditReplayOptions, AuditMutatingRow } from './audit-replay-fold.js';
/** `replayed_actions` of a replay: one byte per row, iterable, `toJSON()` the plain array. */
export { AuditActionList } from './audit-action-list.js';
/** An unterminated final line (a crashed append). */
export type { AuditTornTail } from './audit-log-lines.js';
/** Quarantines a torn final line to `<log>.torn-<unix_ms>` and truncates the log, durably. */
export { repairTornTail, type TornTailRepair } from './repair-torn-tail.js';
/** Appends one chained row durably (the commit point) and returns the new audit head. */
export { appendAuditRow, appendChainedAuditRow, type AppendedAuditRow } from './append-audit-row.js';
/** O(1): whether the log ends exactly at the head we recorded (last row's bytes hashed, nothing after). */
export { auditLogChangeStamp, auditLogEndsAtHead, type RecordedAuditHead } from './audit-log-ends-at-head.js';
/** Walks the hash chain and reports edits, deletions, truncation, unchained rows. */
export { verifyAuditChain } from './verify-audit-chain.js';
/**
 * The chain-check seam: a pure fold over per-row facts (line, offset, length,
 * sha256, prev_sha256) that any scan engine feeds in log order; and the
 * feeder over a file (byte ranges on every core, as replay).
 */
export {
  AuditChainFold,
  type AuditRowFacts,
  type AuditChainHead,
  type AuditChainFoldOptions,
  type AuditTailPosition,
} from './audit-chain-fold.js';
export { foldAuditChain } from './verify-audit-chain.js';
/** The verification result and its findings. */
export type { AuditVerification, AuditFinding, AuditProblemKind, AuditNoticeKind } from './audit-chain-check.js';
/** Renders a verification as text or JSON for `audit verify`. */
export { renderAuditVerification } from './render-audit-verification.js';
/** Renders lifecycle transitions over time for `audit timeline`. */
export { renderAuditTimeline } from './render-audit-timeline.js';
/** Whether to use colour: a TTY, and no `NO_COLOR` / `TERM=dumb`. */
export { shouldUseColor } from './color-choice.js';
/** SHA-256 hex of a row's bytes without its line ending (the chain's link). */
export { rowSha256Hex } from './row-hash.js';
/** The native batch row hasher replay uses when it was built (`scripts/build-row-sha256.mjs`); undefined: node:crypto. */
export { nativeRowHasher, type NativeRowHasher } from './native-row-hasher.js';
/** Errors: a bad audit line (Tau's message), an unreadable log, a refused append, a failed repair. */
export { AuditAppendError, AuditLineParseError, AuditLogReadError, AuditRepairError } from './audit-log-errors.js';
/** The cause of an `AuditLineParseError`: what is wrong with the line. */
export { AuditRowError } from './audit-row-parse.js';
