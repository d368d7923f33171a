import {
  CONTROL_AUDIT_FILE,
  CONTROL_AUDIT_HEAD_FILE,
  serializeAuditHeadFile,
  CONTROL_STATE_FILE,
  FALLBACK_CHECKPOINT_FILE,
  PRIMARY_CHECKPOINT_FILE,
  TRAINING_STATUS_FILE,
  serializeControlState,
  serializeTrainingStatus,
  type AuditHead,
  type ControlState,
} from '@tau/schemas';
import { chainAuditRows, sha256OfAuditLine, type ChainedAuditLine, type HistoryAuthor, type HistoryStep } from './audit-history.js';
import { renderPolicyCheckpoint, streamLargePolicyCheckpoint, type CheckpointIdentity } from './policy-checkpoint-fixture.js';
import { OPERATOR_PRINCIPAL, renderScenarioRbacPolicy } from './rbac-policy-fixture.js';

/** Every scenario `tau-po-harness scenario` can write. */
export const SCENARIO_NAMES = [
  'clean',
  'crashed',
  'crashed-corrupt-primary',
  'crashed-no-checkpoint',
  'completed-run',
  'paused',
  'malformed-audit-row',
  'torn-audit-tail',
  'state-behind-audit',
  'tampered-audit',
  'missing-policy',
  'big-audit',
  'big-tau-audit',
  'big-checkpoint',
] as const;

/** A scenario name. */
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** Size knobs for the two big scenarios. */
export interface ScenarioSizeOptions {
  /** Audit rows in `big-audit` and `big-tau-audit` (default 1,000,000). */
  readonly rows?: number;
  /** Primary checkpoint bytes in `big-checkpoint` (default 300 MB). */
  readonly checkpointBytes?: number;
}

/** File contents: a string, or chunks produced on demand for files too big to hold. */
export type PlannedContent = string | (() => Iterable<string>);

/** One file of a scenario, relative to the scenario root (`state/...` or `rbac.json`). */
export interface PlannedFile {
  readonly relativePath: string;
  readonly content: PlannedContent;
}

/** What a scenario is and what `tau-po resume` does with it. */
export interface ScenarioDescription {
  readonly name: ScenarioName;
  readonly summary: string;
  readonly resumeOutcome: string;
  readonly sizeFlag: '--rows' | '--size' | null;
}

/** Sub-directory of a scenario root that is the state dir. */
export const SCENARIO_STATE_SUBDIR = 'state';
/** File name of a scenario's RBAC policy, beside the state dir. */
export const SCENARIO_POLICY_FILE = 'rbac.json';

/** Default `--rows` of `big-audit` and `big-tau-audit`. */
export const DEFAULT_BIG_AUDIT_ROWS = 1_000_000;
/** Default `--size` of `big-checkpoint`. */
export const DEFAULT_BIG_CHECKPOINT_BYTES = 300_000_000;

const DESCRIPTIONS: Record<ScenarioName, Omit<ScenarioDescription, 'name' | 'sizeFlag'>> = {
  clean: {
    summary: 'healthy run in progress: consistent control state and chained audit history, trainer status running, both checkpoints valid',
    resumeOutcome: 'exit 0; lifecycle running counts as a crash in Tau terms, so it restores from the primary checkpoint',
  },
  crashed: {
    summary: 'lifecycle running, no training status (the trainer died), valid primary and fallback checkpoints',
    resumeOutcome: 'exit 0; crash detected, restored from primary',
  },
  'crashed-corrupt-primary': {
    summary: 'crashed, and the primary checkpoint is truncated mid-write; the fallback is valid',
    resumeOutcome: 'exit 0; crash detected, restored from fallback, diagnostics name the primary failure',
  },
  'crashed-no-checkpoint': {
    summary: 'crashed, and neither checkpoint exists',
    resumeOutcome: 'exit 4; "resume recovery guardrail: ..." and nothing is written',
  },
  'completed-run': {
    summary: 'lifecycle running, trainer status completed',
    resumeOutcome: 'exit 0; no crash, no checkpoint restore',
  },
  paused: {
    summary: 'an operator paused the run; trainer status paused',
    resumeOutcome: 'exit 0; no crash (lifecycle was paused), lifecycle becomes running',
  },
  'malformed-audit-row': {
    summary: 'audit line 3 was hand-edited into invalid JSON (newline-terminated)',
    resumeOutcome: "exit 1; failed to parse training control audit line 3 from '<state>/control-audit.jsonl'",
  },
  'torn-audit-tail': {
    summary: 'a crash mid-append left half an audit row without its newline; control state matches the complete rows',
    resumeOutcome: 'exit 0; the torn tail is quarantined to a side file and reported in diagnostics',
  },
  'state-behind-audit': {
    summary: 'a crash between the audit append (commit point) and the control-state write: the log has one more row (pause)',
    resumeOutcome: 'exit 0; the state is rolled forward from the log (paused), so no crash is detected',
  },
  'tampered-audit': {
    summary: "audit row 2's principal was edited after the fact; the chain no longer links",
    resumeOutcome:
      '`tau-po audit verify` fails and names line 3 (the first row whose prev_sha256 does not match); every writing command refuses (exit 1) until `tau-po audit accept`',
  },
  'missing-policy': {
    summary: 'the clean state dir, but the RBAC policy file does not exist',
    resumeOutcome: 'exit 3 for every command: a missing policy denies, it does not allow',
  },
  'big-audit': {
    summary: 'clean run with a long chained audit log (--rows N, default 1,000,000)',
    resumeOutcome: 'exit 0; replays every row in flat memory',
  },
  'big-tau-audit': {
    summary:
      "a long audit log as Tau's own binary leaves it (--rows N, default 1,000,000): rows without chain keys, no audit head file, a control state without audit_head",
    resumeOutcome: 'exit 0; replays every row (hashing only the last) and starts the chain and the head file from there',
  },
  'big-checkpoint': {
    summary: 'crashed run whose primary checkpoint is large (--size, default 300MB; streamed to disk)',
    resumeOutcome: 'exit 0; restores the primary by streaming it',
  },
};

/** The catalog, in `SCENARIO_NAMES` order, for `scenario --list`. */
export function describeScenarios(): ScenarioDescription[] {
  return SCENARIO_NAMES.map((name) => ({
    name,
    ...DESCRIPTIONS[name],
    sizeFlag: takesRows(name) ? '--rows' : name === 'big-checkpoint' ? '--size' : null,
  }));
}

/** Whether scenario `name` takes `--rows` (a long audit log). */
export function takesRows(name: ScenarioName): boolean {
  return name === 'big-audit' || name === 'big-tau-audit';
}

/** True when `name` is a scenario this harness knows. */
export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}

const AUTHOR: HistoryAuthor = {
  principal: OPERATOR_PRINCIPAL,
  osUser: 'rl-operator',
  host: 'trainer-01',
  // 2026-01-01T00:00:00Z, a quarter of an hour between commands.
  startUnixMs: 1_767_225_600_000,
  stepMs: 15 * 60 * 1000,
};

/** A run's history: started, paused, resumed, rolled back, resumed, and resumed again after a crash. */
const BASE_HISTORY: readonly HistoryStep[] = [
  { action: 'resume', recoverySource: null },
  { action: 'pause' },
  { action: 'resume', recoverySource: null },
  { action: 'rollback', rollbackCheckpoint: 'checkpoints/step-000800.json' },
  { action: 'resume', recoverySource: null },
  { action: 'resume', recoverySource: 'primary' },
];

const PRIMARY: CheckpointIdentity = { runId: 'po-run-20260101-a', globalStep: 1200, optimizerStep: 300, savedAtUnixSeconds: 1_767_250_800 };
const FALLBACK: CheckpointIdentity = { runId: 'po-run-20260101-a', globalStep: 1000, optimizerStep: 250, savedAtUnixSeconds: 1_767_247_200 };

function stateFile(name: string, content: PlannedContent): PlannedFile {
  return { relativePath: `${SCENARIO_STATE_SUBDIR}/${name}`, content };
}

function auditLogText(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

/** Our head file after `lines` (each `\n`-terminated in the log): count, where the last starts and ends, its hash. */
function auditHeadFileFor(lines: readonly string[]): string {
  let offset = 0;
  for (const line of lines.slice(0, -1)) offset += Buffer.byteLength(line, 'utf8') + 1;
  const last = lines[lines.length - 1];
  return serializeAuditHeadFile({
    schema_version: 1,
    row_count: lines.length,
    last_row_offset: last === undefined ? 0 : offset,
    end_offset: last === undefined ? 0 : offset + Buffer.byteLength(last, 'utf8') + 1,
    last_row_sha256: last === undefined ? null : sha256OfAuditLine(last),
  });
}

/** The control state Tau's binary leaves after `last` (no audit_head: that key is ours). */
function tauControlStateFor(last: ChainedAuditLine): ControlState {
  return {
    schema_version: 1,
    updated_unix_ms: last.row.timestamp_unix_ms,
    lifecycle_state: last.lifecycle,
    last_action: last.row.action,
    principal: last.row.principal,
    rollback_checkpoint: last.rollbackCheckpoint,
  };
}

function controlStateFor(last: ChainedAuditLine, headOverride?: AuditHead): string {
  return serializeControlState({ ...tauControlStateFor(last), audit_head: headOverride ?? last.head });
}

function trainingStatus(runState: string, updatedUnixMs: number): string {
  return serializeTrainingStatus({
    schema_version: 1,
    updated_unix_ms: updatedUnixMs,
    run_state: runState,
    model_ref: 'gpt-4o-mini-2024-07-18',
    store_path: '.tau/training/rollouts.sqlite',
    total_rollouts: 1280,
    succeeded: 1241,
    failed: 27,
    cancelled: 12,
    rl_optimizer: {
      executed: true,
      trajectories: 320,
      samples: 1280,
      mean_total_loss: 0.4172,
      observed_approx_kl: 0.0123,
      early_stop_triggered: false,
    },
  });
}

function checkpoints(): PlannedFile[] {
  return [stateFile(PRIMARY_CHECKPOINT_FILE, renderPolicyCheckpoint(PRIMARY)), stateFile(FALLBACK_CHECKPOINT_FILE, renderPolicyCheckpoint(FALLBACK))];
}

function lastOf(history: readonly ChainedAuditLine[]): ChainedAuditLine {
  const last = history[history.length - 1];
  if (last === undefined) throw new Error('a scenario history needs at least one row');
  return last;
}

/** The consistent files of a run with `steps` as its history. */
function consistentRun(steps: readonly HistoryStep[], runState: string | null): PlannedFile[] {
  const history = [...chainAuditRows(steps, AUTHOR)];
  const last = lastOf(history);
  const files = [
    stateFile(CONTROL_STATE_FILE, controlStateFor(last)),
    stateFile(CONTROL_AUDIT_FILE, auditLogText(history.map((entry) => entry.line))),
    stateFile(CONTROL_AUDIT_HEAD_FILE, auditHeadFileFor(history.map((entry) => entry.line))),
    ...checkpoints(),
  ];
  if (runState !== null) files.push(stateFile(TRAINING_STATUS_FILE, trainingStatus(runState, last.row.timestamp_unix_ms + 60_000)));
  return files;
}

function withPolicy(files: PlannedFile[]): PlannedFile[] {
  return [...files, { relativePath: SCENARIO_POLICY_FILE, content: renderScenarioRbacPolicy() }];
}

function replaceFile(files: readonly PlannedFile[], name: string, content: PlannedContent | null): PlannedFile[] {
  const path = `${SCENARIO_STATE_SUBDIR}/${name}`;
  const kept = files.filter((file) => file.relativePath !== path);
  return content === null ? kept : [...kept, { relativePath: path, content }];
}

/** Every line of the base history, with `edit` applied to line `lineIndex` (0-based) and the chain recomputed after it. */
function historyWithEditedLine(lineIndex: number, edit: (line: string) => string, rechain: boolean): { text: string; lastLine: string; lineCount: number } {
  const lines = [...chainAuditRows(BASE_HISTORY, AUTHOR)].map((entry) => entry.line);
  lines[lineIndex] = edit(lines[lineIndex] as string);
  if (rechain) {
    // Later rows were written after the edit happened, so they chain over the edited bytes.
    for (let index = lineIndex + 1; index < lines.length; index += 1) {
      const previous = lines[index - 1] as string;
      lines[index] = (lines[index] as string).replace(/"prev_sha256":"[0-9a-f]{64}"/, `"prev_sha256":"${sha256OfAuditLine(previous)}"`);
    }
  }
  return { text: auditLogText(lines), lastLine: lines[lines.length - 1] as string, lineCount: lines.length };
}

function bigAuditSteps(rows: number): Iterable<HistoryStep> {
  const cycle: HistoryStep[] = [
    { action: 'pause' },
    { action: 'resume', recoverySource: null },
    { action: 'rollback', rollbackCheckpoint: 'checkpoints/step-000800.json' },
    { action: 'resume', recoverySource: null },
  ];
  return {
    *[Symbol.iterator]() {
      yield { action: 'resume', recoverySource: null };
      for (let index = 1; index < rows; index += 1) yield cycle[(index - 1) % cycle.length] as HistoryStep;
    },
  };
}

/** The audit log of `bigAuditSteps(rows)` streamed in batches; `onRow` sees each row and where it starts. */
function streamedAuditLog(rows: number, tauRows: boolean, onRow: (entry: ChainedAuditLine, offset: number) => void): PlannedFile {
  const batchRows = 4096;
  return stateFile(CONTROL_AUDIT_FILE, function* () {
    let batch = '';
    let count = 0;
    let offset = 0;
    for (const entry of chainAuditRows(bigAuditSteps(rows), AUTHOR, { tauRows })) {
      batch += `${entry.line}\n`;
      count += 1;
      onRow(entry, offset);
      offset += Buffer.byteLength(entry.line, 'utf8') + 1;
      if (count % batchRows === 0) {
        yield batch;
        batch = '';
      }
    }
    if (batch !== '') yield batch;
  });
}

/**
 * A run Tau's binary managed on its own: its rows (no chain keys), a control
 * state as Tau writes it (no audit_head) and no head file of ours.
 */
function bigTauAuditRun(rows: number): PlannedFile[] {
  let last: ChainedAuditLine | undefined;
  return [
    streamedAuditLog(rows, true, (entry) => {
      last = entry;
    }),
    stateFile(CONTROL_STATE_FILE, function* () {
      if (last === undefined) throw new Error('big-tau-audit: the control state is planned after the audit log it describes');
      yield serializeControlState(tauControlStateFor(last));
    }),
    ...checkpoints(),
    stateFile(TRAINING_STATUS_FILE, function* () {
      yield trainingStatus('running', (last?.row.timestamp_unix_ms ?? AUTHOR.startUnixMs) + 60_000);
    }),
  ];
}

function bigAuditRun(rows: number): PlannedFile[] {
  // One pass over the rows (serializing a million rows costs seconds): the log
  // is produced while writing, and the control state, which needs the final
  // head, is produced after it. `writeScenario` writes files in plan order.
  let last: ChainedAuditLine | undefined;
  let lastOffset = 0;
  let endOffset = 0;
  return [
    streamedAuditLog(rows, false, (entry, offset) => {
      last = entry;
      lastOffset = offset;
      endOffset = offset + Buffer.byteLength(entry.line, 'utf8') + 1;
    }),
    stateFile(CONTROL_STATE_FILE, function* () {
      if (last === undefined) throw new Error('big-audit: the control state is planned after the audit log it describes');
      yield controlStateFor(last);
    }),
    stateFile(CONTROL_AUDIT_HEAD_FILE, function* () {
      if (last === undefined) throw new Error('big-audit: the head file is planned after the audit log it describes');
      yield serializeAuditHeadFile({
        schema_version: 1,
        row_count: last.head.row_count,
        last_row_offset: lastOffset,
        end_offset: endOffset,
        last_row_sha256: last.head.last_row_sha256,
      });
    }),
    ...checkpoints(),
    stateFile(TRAINING_STATUS_FILE, function* () {
      yield trainingStatus('running', (last?.row.timestamp_unix_ms ?? AUTHOR.startUnixMs) + 60_000);
    }),
  ];
}

/**
 * The files of scenario `name` (pure: nothing is written). Big files come as
 * chunk generators so `writeScenario` can stream them.
 */
export function planScenario(name: ScenarioName, sizes: ScenarioSizeOptions = {}): PlannedFile[] {
  switch (name) {
    case 'clean':
      return withPolicy(consistentRun(BASE_HISTORY, 'running'));
    case 'crashed':
      return withPolicy(consistentRun(BASE_HISTORY, null));
    case 'crashed-corrupt-primary': {
      const primary = renderPolicyCheckpoint(PRIMARY);
      // Cut where the trainer's write stopped: mid-way through the object.
      return withPolicy(replaceFile(consistentRun(BASE_HISTORY, null), PRIMARY_CHECKPOINT_FILE, primary.slice(0, Math.floor(primary.length * 0.6))));
    }
    case 'crashed-no-checkpoint':
      return withPolicy(replaceFile(replaceFile(consistentRun(BASE_HISTORY, null), PRIMARY_CHECKPOINT_FILE, null), FALLBACK_CHECKPOINT_FILE, null));
    case 'completed-run':
      return withPolicy(consistentRun(BASE_HISTORY, 'completed'));
    case 'paused':
      return withPolicy(consistentRun([...BASE_HISTORY, { action: 'pause' }], 'paused'));
    case 'malformed-audit-row': {
      const edited = historyWithEditedLine(2, (line) => line.replace('"action":"resume"', '"action":resume'), true);
      const files = consistentRun(BASE_HISTORY, 'running');
      const head = { row_count: edited.lineCount, last_row_sha256: sha256OfAuditLine(edited.lastLine) };
      const last = lastOf([...chainAuditRows(BASE_HISTORY, AUTHOR)]);
      const withLog = replaceFile(replaceFile(files, CONTROL_AUDIT_FILE, edited.text), CONTROL_STATE_FILE, controlStateFor(last, head));
      return withPolicy(replaceFile(withLog, CONTROL_AUDIT_HEAD_FILE, auditHeadFileFor(edited.text.split('\n').slice(0, -1))));
    }
    case 'torn-audit-tail': {
      const history = [...chainAuditRows([...BASE_HISTORY, { action: 'pause' }], AUTHOR)];
      const torn = lastOf(history).line;
      const complete = history.slice(0, -1);
      const files = replaceFile(
        consistentRun(BASE_HISTORY, 'running'),
        CONTROL_AUDIT_FILE,
        auditLogText(complete.map((entry) => entry.line)) + torn.slice(0, Math.floor(torn.length / 2)),
      );
      return withPolicy(files);
    }
    case 'state-behind-audit': {
      const history = [...chainAuditRows([...BASE_HISTORY, { action: 'pause' }], AUTHOR)];
      const files = replaceFile(consistentRun(BASE_HISTORY, 'running'), CONTROL_AUDIT_FILE, auditLogText(history.map((entry) => entry.line)));
      return withPolicy(files);
    }
    case 'tampered-audit': {
      const edited = historyWithEditedLine(1, (line) => line.replace(`"principal":"${OPERATOR_PRINCIPAL}"`, '"principal":"local:someone-else"'), false);
      return withPolicy(replaceFile(consistentRun(BASE_HISTORY, 'running'), CONTROL_AUDIT_FILE, edited.text));
    }
    case 'missing-policy':
      return consistentRun(BASE_HISTORY, 'running');
    case 'big-audit':
      return withPolicy(bigAuditRun(sizes.rows ?? DEFAULT_BIG_AUDIT_ROWS));
    case 'big-tau-audit':
      return withPolicy(bigTauAuditRun(sizes.rows ?? DEFAULT_BIG_AUDIT_ROWS));
    case 'big-checkpoint': {
      const bytes = sizes.checkpointBytes ?? DEFAULT_BIG_CHECKPOINT_BYTES;
      return withPolicy(replaceFile(consistentRun(BASE_HISTORY, null), PRIMARY_CHECKPOINT_FILE, () => streamLargePolicyCheckpoint(PRIMARY, bytes)));
    }
  }
}
