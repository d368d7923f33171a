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
// validates without building the values.
import { isUtf8 } from 'node:buffer';
import { decodeArtifactText, readArtifactFileBytes } from './artifact-codec.js';
import { parseRecoveryReport, type RECOVERY_REPORT_KEYS, type RecoveryReport } from './recovery-report.js';

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

/**
 * The end (just past `]`) of the array at `open` when it is `[` then strings
 * without escapes or control bytes, separated by commas, then `]`, with JSON
 * whitespace anywhere between; -1 for anything else. (Bytes from 0x80 are
 * left to the caller's UTF-8 check.)
 */
export function endOfPlainStringArray(bytes: Uint8Array, open: number): number {
  const end = bytes.length;
  if (bytes[open] !== OPEN_BRACKET) return -1;
  let i = open + 1;
  while (i < end && isJsonWhitespace(bytes[i] as number)) i += 1;
  if (bytes[i] === CLOSE_BRACKET) return i + 1;
  for (;;) {
    if (bytes[i] !== QUOTE) return -1;
    i += 1;
    for (;;) {
      if (i >= end) return -1;
      const byte = bytes[i] as number;
      if (byte === QUOTE) break;
      if (byte < 0x20 || byte === BACKSLASH) return -1;
      i += 1;
    }
    i += 1;
    while (i < end && isJsonWhitespace(bytes[i] as number)) i += 1;
    if (bytes[i] === CLOSE_BRACKET) return i + 1;
    if (bytes[i] !== COMMA) return -1;
    i += 1;
    while (i < end && isJsonWhitespace(bytes[i] as number)) i += 1;
  }
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

/** `readRecoveryReport` without `replayed_actions`: the same checks and errors, without a string per action. */
export function readRecoveryReportWithoutActions(path: string): RecoveryReportWithoutActions | undefined {
  const bytes = readArtifactFileBytes('recovery_report', path);
  return bytes === undefined ? undefined : parseRecoveryReportWithoutActions(bytes, path);
}
