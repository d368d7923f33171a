// The seam between a scan of the audit log and the hash-chain verdict: a pure
// fold over per-row facts. Whoever walks the bytes (the serial replay,
// `audit verify`, a parallel engine that merges byte ranges in order) feeds
// one `AuditRowFacts` per complete non-blank line, in log order, then calls
// `finish`. No I/O here, so every engine gets the same findings from the
// same rows, and the rules can be tested on plain data.
//
// On top of the link walk (`AuditChainCheck`) it checks the head our head
// file recorded: the row at `row_count` must hash to `last_row_sha256` and
// start at `last_row_offset`. Rows after the head are fine when they link
// on (our own next commit, not yet applied) or carry no prev_sha256 (Tau's
// binary); an edit of the head row itself shows even when an unchained row
// follows, since the head records its hash and position.
import type { AuditHeadFile } from '@tau/schemas';
import { AuditChainCheck, type AuditVerification } from './audit-chain-check.js';
import type { AuditTornTail } from './audit-log-lines.js';
import { linkedRunRowAt, type AuditLinkedRun } from './audit-range-summary.js';

/** What the fold needs to know about one complete, non-blank line. */
export interface AuditRowFacts {
  /** 1-based line number, blank lines counted. */
  line: number;
  /** Byte offset of the line's first byte. */
  offset: number;
  /** Bytes of the row without its line ending. */
  byteLength: number;
  /** SHA-256 hex of those bytes (`rowSha256Hex`). */
  sha256: string;
  /** The row's `prev_sha256` when it is a string; undefined when absent (or not a string). */
  prevSha256: string | undefined;
}

/** The recorded head the fold checks against: our head file's fields (schema_version aside). */
export type AuditChainHead = Pick<AuditHeadFile, 'row_count' | 'last_row_offset' | 'end_offset' | 'last_row_sha256'>;

/** Where the head file stands, as the caller found it. */
export interface AuditChainFoldOptions {
  /**
   * The head our head file records; null when there is none to check
   * against. `headSource` says why.
   */
  expectedHead: AuditChainHead | null;
  /**
   * `file`: read from our head file. `legacy`: the file is absent and the
   * control state's older `audit_head` is used (no offset to check).
   * `missing`: neither; a finding once chained rows exist.
   */
  headSource: 'file' | 'legacy' | 'missing';
}

/** The position of the last row seen, so a new head can be computed after an append. */
export interface AuditTailPosition {
  row_count: number;
  last_row_offset: number;
  end_offset: number;
  last_row_sha256: string | null;
}

/** Folds row facts in log order; `finish` gives the verification. */
export class AuditChainFold {
  private readonly check: AuditChainCheck;
  private rows = 0;
  private headRowOffset: number | undefined;
  private headRowLine = 0;
  // The last row's position as plain fields: an object per row would be a million allocations.
  private tailRowOffset = 0;
  private tailEndOffset = 0;
  private tailSha256: string | null = null;

  constructor(private readonly options: AuditChainFoldOptions) {
    const head = options.expectedHead;
    this.check = new AuditChainCheck(head === null ? null : { row_count: head.row_count, last_row_sha256: head.last_row_sha256 });
  }

  /**
   * A row that parsed. `lineEndLength` is 1 for `\n`, 2 for `\r\n` (the
   * row's bytes exclude it); it only moves `tail.end_offset`.
   */
  addRow(facts: AuditRowFacts, lineEndLength = 1): void {
    this.addRowAt(facts.line, facts.offset, facts.byteLength, facts.sha256, facts.prevSha256, lineEndLength);
  }

  /** `addRow` with the facts as arguments (the replay's per-row call: no record allocated). */
  addRowAt(line: number, offset: number, byteLength: number, sha256: string, prevSha256: string | undefined, lineEndLength = 1): void {
    this.note(line, offset, byteLength, sha256, lineEndLength);
    this.check.addRow(line, sha256, prevSha256);
  }

  /** A terminated line that is not a valid row (still a link: its bytes are hashed). */
  addMalformedRow(facts: AuditRowFacts, detail: string, lineEndLength = 1): void {
    this.note(facts.line, facts.offset, facts.byteLength, facts.sha256, lineEndLength);
    this.check.addMalformedRow(facts.line, facts.sha256, detail);
  }

  /**
   * Whether `addLinkedRun(run)` can be exact once `rowsBeforeRun` more rows
   * are added: the run keeps the position of the row at the head's count
   * when that row falls in it.
   */
  canAddLinkedRun(run: AuditLinkedRun, rowsBeforeRun = 0): boolean {
    const head = this.options.expectedHead;
    const before = this.rows + rowsBeforeRun;
    if (head === null || head.row_count <= before || head.row_count > before + run.rows) return true;
    return linkedRunRowAt(run, head.row_count - before) !== undefined;
  }

  /**
   * A clean run of rows (lines absolute) scanned elsewhere, right after the
   * row they link on from: the same as `addRow` for each of them.
   */
  addLinkedRun(run: AuditLinkedRun): void {
    const before = this.rows;
    const head = this.options.expectedHead;
    if (head !== null && head.row_count > before && head.row_count <= before + run.rows) {
      const row = linkedRunRowAt(run, head.row_count - before);
      if (row === undefined) throw new Error('the head row is not among the run rows kept (check canAddLinkedRun first)');
      this.headRowOffset = row.offset;
      this.headRowLine = row.line;
    }
    this.check.addLinkedRun(run, (index) => linkedRunRowAt(run, index)?.line);
    this.rows += run.rows;
    this.tailRowOffset = run.lastOffset;
    this.tailEndOffset = run.lastOffset + run.lastByteLength + run.lastLineEndLength;
    this.tailSha256 = run.lastSha256;
  }

  /** The recorded head (its position lets a scan read the head's row back); null when none. */
  get expectedHead(): AuditChainHead | null {
    return this.options.expectedHead;
  }

  /** The recorded head's last row hash (a run scan reports the last row hashing to it); null when none. */
  get expectedHeadSha256(): string | null {
    return this.options.expectedHead?.last_row_sha256 ?? null;
  }

  /** Where the log ends (the last complete row): what an append chains to. */
  get tailPosition(): AuditTailPosition {
    return { row_count: this.rows, last_row_offset: this.tailRowOffset, end_offset: this.tailEndOffset, last_row_sha256: this.tailSha256 };
  }

  finish(path: string, tornTail: AuditTornTail | null): AuditVerification {
    const head = this.options.expectedHead;
    if (head !== null && this.options.headSource === 'file' && this.headRowOffset !== undefined) {
      if (this.headRowOffset !== head.last_row_offset) {
        this.check.addProblem({
          kind: 'head_offset_mismatch',
          line: this.headRowLine,
          detail: `row ${head.row_count} starts at byte ${this.headRowOffset}, the head file recorded byte ${head.last_row_offset}: bytes before it were changed`,
        });
      }
    }
    const verification = this.check.finish(path, tornTail);
    if (this.options.headSource === 'missing' && verification.chained_rows > 0) {
      verification.problems.unshift({
        kind: 'head_missing',
        line: null,
        detail: `${verification.chained_rows} chained rows but no audit head file: it was deleted, so edits and truncation of the tail cannot be ruled out`,
      });
      verification.notices = verification.notices.filter((n) => n.kind !== 'no_expected_head');
      verification.ok = false;
    }
    return verification;
  }

  private note(line: number, offset: number, byteLength: number, sha256: string, lineEndLength: number): void {
    this.rows += 1;
    const head = this.options.expectedHead;
    if (head !== null && this.rows === head.row_count) {
      this.headRowOffset = offset;
      this.headRowLine = line;
    }
    this.tailRowOffset = offset;
    this.tailEndOffset = offset + byteLength + lineEndLength;
    this.tailSha256 = sha256;
  }
}
