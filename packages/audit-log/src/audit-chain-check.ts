// The pure half of `audit verify`: given each row's hash and claimed
// `prev_sha256` in log order (and optionally the head the control state
// recorded), decides what the chain shows. No I/O.
//
// What a hash chain can and cannot tell: row n's prev_sha256 not matching row
// m (the row before it) means row m was edited, or rows between m and n were
// deleted; the hashes alone cannot say which, so we report exactly that (kind
// `edited_or_deleted`) rather than guess. Deletion is certain when the first
// row still names a predecessor, or when the recorded head's row sits earlier
// than its recorded count.
//
// A row is chained when a link covers it, so that editing or removing it
// shows: it carries a prev_sha256, or it starts a chain (no prev_sha256 of
// its own, but the next row carries one: a log's first row, or Tau's last
// row before ours), or it is the last row and the recorded audit head names
// it (a log of one row). Every other row is unchained (Tau's, or older ones):
// reported, never counted as tampering. Whether a row starts a chain is known
// only at the next row, so the count and ranges are corrected then.
import type { AuditHead } from '@tau/schemas';
import type { AuditTornTail } from './audit-log-lines.js';

/** Evidence that rows were changed, removed or added. */
export type AuditProblemKind =
  | 'edited_or_deleted'
  | 'deleted'
  | 'inserted'
  | 'truncated'
  | 'head_mismatch'
  | 'invalid_prev_sha256'
  | 'malformed'
  /** Chained rows exist but our head file is missing (deleted). */
  | 'head_missing'
  /** The head file names a row at another byte offset than where that row sits (bytes before it changed). */
  | 'head_offset_mismatch'
  /** More than one chained row but no `control-state.json` (our protocol never deletes it). */
  | 'control_state_missing'
  /** The head file lists an accepted finding that no `audit accept` row records. */
  | 'unrecorded_acceptance';

/** Findings that are not tampering. */
export type AuditNoticeKind = 'torn_tail' | 'unchained_after_chained' | 'head_behind' | 'no_expected_head';

/** One finding; `line` is 1-based (blank lines counted), null when it concerns the whole log. */
export interface AuditFinding<Kind extends string> {
  kind: Kind;
  line: number | null;
  detail: string;
}

/** The result of `verifyAuditChain`, JSON-friendly (what `audit verify --json` prints). */
export interface AuditVerification {
  path: string;
  /** True when no problem was found (notices do not count). */
  ok: boolean;
  rows: number;
  /**
   * Rows a link covers (an edit or removal of one shows): rows carrying a
   * prev_sha256, a row a chain starts at (the next row carries one: a log's
   * first row, or Tau's last row before ours), and a last row the recorded
   * head names. Malformed rows count in neither.
   */
  chained_rows: number;
  /** Rows no link covers (Tau's or older rows); listed as line ranges. */
  unchained_rows: number;
  unchained_ranges: { first_line: number; last_line: number }[];
  head: AuditHead;
  expected_head: AuditHead | null;
  problems: AuditFinding<AuditProblemKind>[];
  /** Problems found beyond the listed ones (at most 1000 are listed). */
  problems_not_listed: number;
  notices: AuditFinding<AuditNoticeKind>[];
}

/** More problems than this are counted, not listed. */
export const MAX_LISTED_PROBLEMS = 1000;

const SHA256_HEX = /^[0-9a-f]{64}$/;

function shortHash(hash: string): string {
  return `${hash.slice(0, 12)}...`;
}

/** Accumulates rows in log order; `finish` gives the verification. */
export class AuditChainCheck {
  private rows = 0;
  private chained = 0;
  private readonly unchainedRanges: { first_line: number; last_line: number }[] = [];
  private unchained = 0;
  private readonly problems: AuditFinding<AuditProblemKind>[] = [];
  private problemsNotListed = 0;
  private readonly notices: AuditFinding<AuditNoticeKind>[] = [];
  private previousLine = 0;
  /** The line of the row before the previous one (0: none): where a range ends when its last row turns out to start a chain. */
  private lineBeforePrevious = 0;
  private previousHash: string | null = null;
  private previousChained = false;
  /** The previous row parsed and had no prev_sha256: counted unchained until the next row says it starts a chain. */
  private previousUnchained = false;
  private sawChained = false;
  /** Row index (1-based) and line of the last row whose hash equals the expected head's. */
  private headMatchIndex = 0;
  private headMatchLine = 0;
  private lineAtExpectedCount = 0;

  constructor(private readonly expectedHead: AuditHead | null) {}

  /** A row that parsed; `prevSha256` is its prev_sha256 value when it is a string. */
  addRow(line: number, sha256: string, prevSha256: string | undefined): void {
    this.countRow(line, sha256);
    if (prevSha256 === undefined) {
      this.addUnchained(line);
    } else {
      if (this.previousUnchained && SHA256_HEX.test(prevSha256)) this.countPreviousAsChainStart();
      this.chained += 1;
      this.sawChained = true;
      this.checkLink(line, prevSha256);
    }
    this.previousChained = prevSha256 !== undefined;
    this.previousUnchained = prevSha256 === undefined;
    this.advance(line, sha256);
  }

  /** A terminated line that is not a valid row: reported, and still a link (its bytes are hashed). */
  addMalformedRow(line: number, sha256: string, detail: string): void {
    this.countRow(line, sha256);
    this.problem({ kind: 'malformed', line, detail: `not a valid row (${detail}); its prev_sha256 cannot be checked` });
    this.previousChained = false;
    this.previousUnchained = false;
    this.advance(line, sha256);
  }

  /**
   * Adds `run.rows` rows scanned elsewhere (a clean run), right after a row
   * that parsed: the same as adding them one by one. A chained run's rows
   * each carry a prev_sha256 naming the row before; an unchained run's carry
   * none. `lineAtIndex` gives the line of a run row by its 1-based index
   * (needed when the expected head's count falls in the run; the caller
   * checked it can).
   */
  addLinkedRun(
    run: {
      rows: number;
      chained: boolean;
      firstLine: number;
      lastLine: number;
      lineBeforeLast: number;
      lastSha256: string;
      headMatch: { index: number; line: number } | null;
    },
    lineAtIndex: (index: number) => number | undefined,
  ): void {
    if (run.chained) {
      // The run's first row names the row before it, a digest: a row before that carried no prev_sha256 starts a chain (as in addRow).
      if (this.previousUnchained) this.countPreviousAsChainStart();
      this.chained += run.rows;
      this.sawChained = true;
    } else {
      this.addUnchainedLines(run.firstLine, run.lastLine, run.rows);
    }
    const before = this.rows;
    this.rows += run.rows;
    const expected = this.expectedHead;
    if (expected !== null) {
      if (expected.row_count > before && expected.row_count <= this.rows) {
        const line = lineAtIndex(expected.row_count - before);
        if (line === undefined) throw new Error('the expected head row is not among the run rows kept');
        this.lineAtExpectedCount = line;
      }
      if (run.headMatch !== null) {
        this.headMatchIndex = before + run.headMatch.index;
        this.headMatchLine = run.headMatch.line;
      }
    }
    this.previousChained = run.chained;
    this.previousUnchained = !run.chained;
    this.lineBeforePrevious = run.lineBeforeLast;
    this.previousLine = run.lastLine;
    this.previousHash = run.lastSha256;
  }

  finish(path: string, tornTail: AuditTornTail | null): AuditVerification {
    if (tornTail !== null) {
      this.notices.push({
        kind: 'torn_tail',
        line: tornTail.line,
        detail: `unterminated final line of ${tornTail.byte_length} bytes at byte ${tornTail.offset} (a crashed append; not a row; \`audit repair\` quarantines it)`,
      });
    }
    this.checkHead();
    // A lone unchained last row the recorded head names (a log of one row of ours) is covered by the head.
    if (this.previousUnchained && this.previousHash !== null && this.previousHash === this.expectedHead?.last_row_sha256) {
      this.countPreviousAsChainStart();
      this.previousUnchained = false;
    }
    const head: AuditHead = { row_count: this.rows, last_row_sha256: this.previousHash };
    return {
      path,
      ok: this.problems.length === 0 && this.problemsNotListed === 0,
      rows: this.rows,
      chained_rows: this.chained,
      unchained_rows: this.unchained,
      unchained_ranges: this.unchainedRanges,
      head,
      expected_head: this.expectedHead,
      problems: this.problems,
      problems_not_listed: this.problemsNotListed,
      notices: this.notices,
    };
  }

  private countRow(line: number, sha256: string): void {
    this.rows += 1;
    const expected = this.expectedHead;
    if (expected === null) return;
    if (this.rows === expected.row_count) this.lineAtExpectedCount = line;
    if (sha256 === expected.last_row_sha256) {
      this.headMatchIndex = this.rows;
      this.headMatchLine = line;
    }
  }

  private advance(line: number, sha256: string): void {
    this.lineBeforePrevious = this.previousLine;
    this.previousLine = line;
    this.previousHash = sha256;
  }

  private addUnchained(line: number): void {
    this.addUnchainedLines(line, line, 1);
  }

  /** `rows` unchained rows on lines `firstLine`..`lastLine`, right after the previous row. */
  private addUnchainedLines(firstLine: number, lastLine: number, rows: number): void {
    this.unchained += rows;
    const last = this.unchainedRanges[this.unchainedRanges.length - 1];
    if (last !== undefined && last.last_line === this.previousLine && !this.previousChained && this.previousLine !== 0) {
      last.last_line = lastLine;
      return;
    }
    this.unchainedRanges.push({ first_line: firstLine, last_line: lastLine });
    if (this.sawChained && this.previousChained) {
      this.notices.push({
        kind: 'unchained_after_chained',
        line: firstLine,
        detail: 'rows from here on carry no prev_sha256 (appended by Tau or an older version); edits to them cannot be detected',
      });
    }
  }

  /** The previous row, counted unchained, turns out to be covered: it leaves the count and the end of its range. */
  private countPreviousAsChainStart(): void {
    this.unchained -= 1;
    this.chained += 1;
    const range = this.unchainedRanges[this.unchainedRanges.length - 1];
    if (range === undefined) return;
    if (range.first_line < this.previousLine) {
      range.last_line = this.lineBeforePrevious;
      return;
    }
    this.unchainedRanges.pop();
    // The range was this one row: a notice that unchained rows start there would now be wrong.
    const stale = this.notices.findLastIndex((n) => n.kind === 'unchained_after_chained' && n.line === range.first_line);
    if (stale !== -1) this.notices.splice(stale, 1);
  }

  private checkLink(line: number, prevSha256: string): void {
    // The common case first: equal to our own digest of the previous row, so valid hex too (no regex per row).
    if (this.previousHash !== null && prevSha256 === this.previousHash) return;
    if (!SHA256_HEX.test(prevSha256)) {
      this.problem({ kind: 'invalid_prev_sha256', line, detail: 'prev_sha256 is not 64 lower-case hex digits' });
      return;
    }
    if (this.previousHash === null) {
      this.problem({
        kind: 'deleted',
        line,
        detail: `the first row names a predecessor (prev_sha256 ${shortHash(prevSha256)}): rows before it were deleted`,
      });
      return;
    }
    if (prevSha256 !== this.previousHash) {
      this.problem({
        kind: 'edited_or_deleted',
        line,
        detail: `prev_sha256 ${shortHash(prevSha256)} does not match the row at line ${this.previousLine} (${shortHash(this.previousHash)}): that row was edited, or rows between lines ${this.previousLine} and ${line} were deleted`,
      });
    }
  }

  private checkHead(): void {
    const expected = this.expectedHead;
    if (expected === null) {
      this.notices.push({ kind: 'no_expected_head', line: null, detail: 'no recorded audit head: truncation of the tail cannot be checked' });
      return;
    }
    const recordedCount = expected.row_count;
    if (expected.last_row_sha256 === null || recordedCount === 0) {
      if (this.rows < recordedCount) {
        this.problem({ kind: 'truncated', line: null, detail: `the log has ${this.rows} rows, the control state recorded ${recordedCount}` });
      } else if (this.rows > recordedCount) {
        this.behind(recordedCount);
      }
      return;
    }
    const matchIndex = this.headMatchIndex;
    if (matchIndex === 0) {
      if (this.rows < recordedCount) {
        this.problem({
          kind: 'truncated',
          line: null,
          detail: `the log has ${this.rows} rows and lacks the recorded last row (${shortHash(expected.last_row_sha256)}, row ${recordedCount}): its tail was cut off`,
        });
      } else {
        this.problem({
          kind: 'head_mismatch',
          line: this.lineAtExpectedCount,
          detail: `row ${recordedCount} does not hash to the recorded audit head (${shortHash(expected.last_row_sha256)}): it was edited or replaced`,
        });
      }
      return;
    }
    if (matchIndex < recordedCount) {
      this.problem({
        kind: 'deleted',
        line: this.headMatchLine,
        detail: `the recorded last row is row ${matchIndex} but the control state counted ${recordedCount}: ${recordedCount - matchIndex} rows before it were deleted`,
      });
    } else if (matchIndex > recordedCount) {
      this.problem({
        kind: 'inserted',
        line: this.headMatchLine,
        detail: `the recorded last row is row ${matchIndex} but the control state counted ${recordedCount}: ${matchIndex - recordedCount} rows before it were inserted`,
      });
    }
    if (this.rows > matchIndex) this.behind(matchIndex);
  }

  private behind(recordedRows: number): void {
    this.notices.push({
      kind: 'head_behind',
      line: null,
      detail: `${this.rows - recordedRows} rows follow the recorded audit head (a command crashed after its commit point, or Tau appended; the next command reconciles)`,
    });
  }

  /** Records a finding decided outside the link walk (the head file's offset, missing files). */
  addProblem(finding: AuditFinding<AuditProblemKind>): void {
    this.problem(finding);
  }

  /** Rows counted so far, and rows a link covers. */
  get counts(): { rows: number; chained: number } {
    return { rows: this.rows, chained: this.chained };
  }

  private problem(finding: AuditFinding<AuditProblemKind>): void {
    if (this.problems.length < MAX_LISTED_PROBLEMS) this.problems.push(finding);
    else this.problemsNotListed += 1;
  }
}
