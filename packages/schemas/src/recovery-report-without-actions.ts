// Every control command reads the recovery report on disk: a malformed one
// fails the command, as in Tau, so the whole file is validated. But only a
// few fields are used, and after a long run the file is mostly
// `replayed_actions`, one string per audit row (14 MB at 1M rows). Parsing
// that into a million strings took about 0.3 s of every `status` or `pause`.
//
// Here the array is checked byte by byte instead, and the rest of the file,
// with the array replaced by `[]`, goes through the usual strict parse and
// schema. That is the same verdict. The text before the array is the same in
// both, so when the rest parses, the array sat where a value goes (after a
// key and its colon, not in a string). An array holding only strings has no
// keys, numbers or objects, so taking it out changes neither the syntax, nor
// the duplicate-key and integer checks, nor the schema (any array of strings
// passes where one is expected, and a key of that name elsewhere is not
// checked at all). Anything else (no array where the writer puts it, an
// escape in it, invalid UTF-8, a failure of the rest) goes the usual way
// over the whole text, so errors and their locations are exactly
// `readRecoveryReport`'s. A hand-written check, because no JSON library
// validates without building the values. From a file, the report is read a
// chunk at a time and only the text around the array is kept.
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import { ARTIFACT_MAX_BYTES, decodeArtifactText, readArtifactFileBytes } from './artifact-codec.js';
import { parseRecoveryReport, type RECOVERY_REPORT_KEYS, type RecoveryReport } from './recovery-report.js';
import { openRegularFile, type OpenRegularFile } from './regular-file-read.js';

/** The report without `replayed_actions` (Tau's keys; unknown keys are not kept). */
export type RecoveryReportWithoutActions = Pick<RecoveryReport, Exclude<(typeof RECOVERY_REPORT_KEYS)[number], 'replayed_actions'>>;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Where the pretty writers (Tau's and ours) put the array: a top-level key on a line of its own. */
const ACTIONS_KEY = Buffer.from('\n  "replayed_actions": [');

function isJsonWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

const enum ArrayPosition {
  /** Right after `[`: whitespace, a string or `]`. */
  AfterOpen,
  /** After a comma: whitespace or a string. */
  BeforeValue,
  InString,
  /** After a string: whitespace, a comma or `]`. */
  AfterValue,
  Declined,
}

/**
 * Checks an array of strings without escapes or control bytes, fed in
 * pieces from just after its `[` (a file read a chunk at a time), as JSON's
 * grammar has it: strings separated by commas, JSON whitespace anywhere
 * between. Bytes from 0x80 are noted (`nonAscii`) and left to a UTF-8 check.
 */
export class PlainStringArrayScan {
  private position = ArrayPosition.AfterOpen;
  nonAscii = false;

  /** Whether a byte broke the grammar (an escape, a control byte, anything but a string where one goes). */
  get declined(): boolean {
    return this.position === ArrayPosition.Declined;
  }

  /** Feeds `bytes[from, to)`: the index just past the closing `]` when it is among them; -1 otherwise (see `declined`). */
  feed(bytes: Uint8Array, from: number, to: number): number {
    for (let i = from; i < to; i += 1) {
      const byte = bytes[i] as number;
      switch (this.position) {
        case ArrayPosition.InString: {
          // The hot loop: a string's bytes up to its closing quote.
          let j = i;
          for (; j < to; j += 1) {
            const inner = bytes[j] as number;
            if (inner === QUOTE) break;
            if (inner < 0x20 || inner === BACKSLASH) return this.decline();
            if (inner >= 0x80) this.nonAscii = true;
          }
          if (j < to) this.position = ArrayPosition.AfterValue;
          i = j;
          break;
        }
        case ArrayPosition.AfterOpen:
        case ArrayPosition.BeforeValue:
          if (byte === QUOTE) this.position = ArrayPosition.InString;
          else if (byte === CLOSE_BRACKET && this.position === ArrayPosition.AfterOpen) return i + 1;
          else if (!isJsonWhitespace(byte)) return this.decline();
          break;
        case ArrayPosition.AfterValue:
          if (byte === COMMA) this.position = ArrayPosition.BeforeValue;
          else if (byte === CLOSE_BRACKET) return i + 1;
          else if (!isJsonWhitespace(byte)) return this.decline();
          break;
        case ArrayPosition.Declined:
          return -1;
      }
    }
    return -1;
  }

  private decline(): number {
    this.position = ArrayPosition.Declined;
    return -1;
  }
}

/**
 * The end (just past `]`) of the array at `open` when it is `[` then strings
 * without escapes or control bytes, separated by commas, then `]`, with JSON
 * whitespace anywhere between; -1 for anything else. (Bytes from 0x80 are
 * left to the caller's UTF-8 check.)
 */
export function endOfPlainStringArray(bytes: Uint8Array, open: number): number {
  if (bytes[open] !== OPEN_BRACKET) return -1;
  return new PlainStringArrayScan().feed(bytes, open + 1, bytes.length);
}

function withoutActions(report: RecoveryReport): RecoveryReportWithoutActions {
  return {
    schema_version: report.schema_version,
    recovered_at_unix_ms: report.recovered_at_unix_ms,
    principal: report.principal,
    crash_detected: report.crash_detected,
    prior_lifecycle_state: report.prior_lifecycle_state,
    prior_training_state: report.prior_training_state,
    replayed_audit_events: report.replayed_audit_events,
    checkpoint_source: report.checkpoint_source,
    checkpoint_run_id: report.checkpoint_run_id,
    checkpoint_global_step: report.checkpoint_global_step,
    checkpoint_optimizer_step: report.checkpoint_optimizer_step,
    diagnostics: report.diagnostics,
  };
}

/** The report's fields but `replayed_actions`, from its bytes, validated as `parseRecoveryReport` validates the text. */
export function parseRecoveryReportWithoutActions(bytes: Buffer, path: string): RecoveryReportWithoutActions {
  const key = bytes.indexOf(ACTIONS_KEY);
  // The array's `[` ends the key pattern.
  const open = key < 0 ? -1 : key + ACTIONS_KEY.length - 1;
  const close = open < 0 ? -1 : endOfPlainStringArray(bytes, open);
  if (close >= 0 && isUtf8(bytes)) {
    const rest = `${bytes.toString('utf8', 0, open)}[]${bytes.toString('utf8', close)}`;
    try {
      return withoutActions(parseRecoveryReport(rest, path));
    } catch {
      // Reported as the whole file would be (locations in it, not in `rest`).
    }
  }
  return withoutActions(parseRecoveryReport(decodeArtifactText('recovery_report', path, bytes), path));
}

/** Bytes read at a time by `readRecoveryReportWithoutActions`. */
const REPORT_READ_CHUNK_BYTES = 1 << 20;
/** The text before the actions, and after them, kept at most (more: the whole file is read as usual). */
const MAX_KEPT_BYTES = 1 << 20;

/** The text around the plain ASCII actions, read a chunk at a time (see `readRecoveryReportWithoutActions`). */
export type TextAroundActions = { before: string; after: string } | 'absent' | 'unusual';

/**
 * Reads the report a chunk at a time and keeps only what is around
 * `replayed_actions`; `unusual` for anything the usual read must decide (a
 * file that is not plain, too large, no array where the writers put it, an
 * array with non-ASCII bytes or escapes, invalid UTF-8 around it).
 */
export function readTextAroundActions(path: string, chunkBytes: number): TextAroundActions {
  let file: OpenRegularFile;
  try {
    file = openRegularFile(path);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : 'unusual';
  }
  try {
    const maxBytes = ARTIFACT_MAX_BYTES.recovery_report;
    if (file.stats.size > maxBytes) return 'unusual';
    const chunk = Buffer.allocUnsafe(chunkBytes);
    const scan = new PlainStringArrayScan();
    let before: Buffer | undefined;
    let head = Buffer.alloc(0);
    const after: Buffer[] = [];
    let afterBytes = 0;
    let arrayClosed = false;
    for (let total = 0; ; ) {
      const read = fs.readSync(file.fd, chunk, 0, chunk.length, total);
      if (read === 0) break;
      total += read;
      if (total > maxBytes) return 'unusual';
      let data = chunk.subarray(0, read);
      if (before === undefined) {
        // Still looking for the key (it may straddle two chunks).
        head = Buffer.concat([head, data]);
        const key = head.indexOf(ACTIONS_KEY);
        if (key < 0) {
          if (head.length > MAX_KEPT_BYTES) return 'unusual';
          continue;
        }
        const open = key + ACTIONS_KEY.length - 1;
        before = head.subarray(0, open);
        data = head.subarray(open + 1);
      }
      if (!arrayClosed) {
        const end = scan.feed(data, 0, data.length);
        if (scan.declined || scan.nonAscii) return 'unusual';
        if (end < 0) continue;
        arrayClosed = true;
        data = data.subarray(end);
      }
      // The chunk buffer is reused: what follows the array is copied.
      after.push(Buffer.from(data));
      afterBytes += data.length;
      if (afterBytes > MAX_KEPT_BYTES) return 'unusual';
    }
    if (before === undefined || !arrayClosed) return 'unusual';
    try {
      return {
        before: decodeArtifactText('recovery_report', path, before),
        after: decodeArtifactText('recovery_report', path, Buffer.concat(after)),
      };
    } catch {
      return 'unusual';
    }
  } finally {
    fs.closeSync(file.fd);
  }
}

/**
 * `readRecoveryReport` without `replayed_actions`: the same checks and
 * errors, without a string per action. The file is read a chunk at a time
 * and only the text around the actions is kept: a fresh buffer of the whole
 * report cost more to fault in (about 60 ms for 14 MB here) than scanning it.
 * Anything unusual is read whole and decided by
 * `parseRecoveryReportWithoutActions`. `chunkBytes`: tests pick small chunks.
 */
export function readRecoveryReportWithoutActions(path: string, chunkBytes = REPORT_READ_CHUNK_BYTES): RecoveryReportWithoutActions | undefined {
  const around = readTextAroundActions(path, chunkBytes);
  if (around === 'absent') return undefined;
  if (around !== 'unusual') {
    try {
      return withoutActions(parseRecoveryReport(`${around.before}[]${around.after}`, path));
    } catch {
      // Reported as the whole file would be: read again below.
    }
  }
  const bytes = readArtifactFileBytes('recovery_report', path);
  return bytes === undefined ? undefined : parseRecoveryReportWithoutActions(bytes, path);
}
