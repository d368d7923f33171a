// The tamper drill: each kind of edit, deletion, truncation, reordering,
// unchained append and missing file, applied to a clean state directory;
// then every ordinary command runs against it (the real CLI, real
// processes). Holds when `audit verify` still reports the finding after all
// of them, no command that writes exited 0 on a log it must refuse, and after
// `audit accept` the commands proceed while verify lists the finding as accepted.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTROL_AUDIT_FILE, CONTROL_AUDIT_HEAD_FILE, CONTROL_STATE_FILE } from '@tau/schemas';
import { OPERATOR_PRINCIPAL } from './rbac-policy-fixture.js';
import { writeScenario, type WrittenScenario } from './scenario-writer.js';
import { runTauPo, scenarioFlags } from './tau-po-process.js';
import type { TauPoBinary } from './tau-po-binary.js';

/** A row as Tau's own binary appends it: no prev_sha256, no os_user/host. */
const TAU_ROW =
  '{"schema_version":1,"timestamp_unix_ms":1767300000000,"principal":"local:tau","action":"pause","action_key":"control:rl:pause","lifecycle_state":"paused","idempotent":false,"rollback_checkpoint":null,"recovery_checkpoint_source":null}';

/** One tampering: what it does to the state dir, and the finding kind `audit verify` must report (null: none, commands proceed). */
export interface Tampering {
  readonly name: string;
  readonly apply: (stateDir: string) => void;
  readonly finding: string | null;
}

function editLines(stateDir: string, edit: (lines: string[]) => string[]): void {
  const path = join(stateDir, CONTROL_AUDIT_FILE);
  const lines = readFileSync(path, 'utf8').split('\n').slice(0, -1);
  writeFileSync(path, edit(lines).map((line) => `${line}\n`).join(''));
}

const mallory = (line: string): string => line.replace(`"principal":"${OPERATOR_PRINCIPAL}"`, '"principal":"local:mallory"');

/** Every kind of tampering the drill applies. */
export const TAMPERINGS: readonly Tampering[] = [
  { name: 'edit-middle-row', apply: (d) => editLines(d, (l) => l.map((x, i) => (i === 2 ? mallory(x) : x))), finding: 'edited_or_deleted' },
  { name: 'edit-last-row', apply: (d) => editLines(d, (l) => l.map((x, i) => (i === l.length - 1 ? mallory(x) : x))), finding: 'head_mismatch' },
  {
    name: 'edit-last-row-then-unchained-append',
    apply: (d) => editLines(d, (l) => [...l.map((x, i) => (i === l.length - 1 ? mallory(x) : x)), TAU_ROW]),
    finding: 'head_mismatch',
  },
  { name: 'delete-middle-row', apply: (d) => editLines(d, (l) => l.filter((_, i) => i !== 2)), finding: 'edited_or_deleted' },
  { name: 'delete-first-rows', apply: (d) => editLines(d, (l) => l.slice(2)), finding: 'deleted' },
  { name: 'truncate-tail', apply: (d) => editLines(d, (l) => l.slice(0, 3)), finding: 'truncated' },
  { name: 'reorder-rows', apply: (d) => editLines(d, (l) => [l[0] ?? '', l[2] ?? '', l[1] ?? '', ...l.slice(3)]), finding: 'edited_or_deleted' },
  { name: 'delete-head-file', apply: (d) => rmSync(join(d, CONTROL_AUDIT_HEAD_FILE)), finding: 'head_missing' },
  { name: 'delete-control-state', apply: (d) => rmSync(join(d, CONTROL_STATE_FILE)), finding: 'control_state_missing' },
  { name: 'unchained-append-only', apply: (d) => editLines(d, (l) => [...l, TAU_ROW]), finding: null },
];

/** A command of the drill: its arguments, and whether it writes (must refuse a tampered log). */
interface DrillCommand {
  readonly name: string;
  readonly args: (scenario: WrittenScenario) => string[];
  readonly writes: boolean;
}

const flags = (s: WrittenScenario): string[] => scenarioFlags(s.stateDir, s.policyPath, OPERATOR_PRINCIPAL);

/** Every ordinary command, in the order an operator on a bad day might run them. */
const COMMANDS: readonly DrillCommand[] = [
  { name: 'status', args: (s) => ['status', ...flags(s)], writes: false },
  { name: 'doctor', args: (s) => ['doctor', ...flags(s)], writes: false },
  { name: 'audit timeline', args: (s) => ['audit', 'timeline', '--state-dir', s.stateDir], writes: false },
  { name: 'resume --dry-run', args: (s) => ['resume', '--dry-run', ...flags(s)], writes: true },
  { name: 'pause', args: (s) => ['pause', ...flags(s)], writes: true },
  { name: 'resume', args: (s) => ['resume', ...flags(s)], writes: true },
  { name: 'cancel', args: (s) => ['cancel', ...flags(s)], writes: true },
  { name: 'rollback', args: (s) => ['rollback', join(s.stateDir, 'policy-checkpoint.json'), ...flags(s)], writes: true },
  { name: 'audit repair', args: (s) => ['audit', 'repair', ...flags(s)], writes: true },
];

/** What one tampering showed. */
export interface TamperResult {
  readonly tampering: string;
  /** One line per broken promise; empty when the drill holds. */
  readonly violations: readonly string[];
}

/** Runs every tampering on its own clean scenario; removes its dirs unless `keep`. */
export async function runTamperDrill(binary: TauPoBinary, options: { keep?: boolean } = {}): Promise<TamperResult[]> {
  const workDir = mkdtempSync(join(tmpdir(), 'tau-po-tamper-'));
  const results: TamperResult[] = [];
  try {
    for (const [index, tampering] of TAMPERINGS.entries()) {
      const scenario = writeScenario('clean', join(workDir, `${index}-${tampering.name}`));
      tampering.apply(scenario.stateDir);
      const violations: string[] = [];
      for (const command of COMMANDS) {
        const run = await runTauPo(binary, command.args(scenario));
        if (tampering.finding !== null && command.writes) {
          if (run.exitCode === 0) violations.push(`${command.name} exited 0 on a log it must refuse`);
          else if (!run.stderr.includes('tau-po audit verify')) violations.push(`${command.name} refused without naming \`tau-po audit verify\`: ${run.stderr.trim()}`);
        }
        const verify = await runTauPo(binary, ['audit', 'verify', '--json', '--state-dir', scenario.stateDir]);
        const kinds = verify.exitCode === 0 || verify.exitCode === 1 ? findingKinds(verify.stdout) : [];
        if (tampering.finding === null) {
          if (verify.exitCode !== 0) violations.push(`after ${command.name}: audit verify exited ${verify.exitCode} for an unchained append`);
        } else if (verify.exitCode !== 1 || !kinds.includes(tampering.finding)) {
          violations.push(`after ${command.name}: audit verify no longer reports ${tampering.finding} (exit ${verify.exitCode}, found ${kinds.join(', ') || 'nothing'})`);
        }
      }
      if (tampering.finding !== null) violations.push(...(await acceptAndResume(binary, scenario, tampering.finding)));
      results.push({ tampering: tampering.name, violations });
    }
  } finally {
    if (options.keep !== true) rmSync(workDir, { recursive: true, force: true });
  }
  return results;
}

/** After `audit accept`, writing commands proceed and `audit verify` lists the finding as accepted history. */
async function acceptAndResume(binary: TauPoBinary, scenario: WrittenScenario, finding: string): Promise<string[]> {
  const violations: string[] = [];
  const accept = await runTauPo(binary, ['audit', 'accept', ...flags(scenario), '--reason', 'tamper drill']);
  if (accept.exitCode !== 0) return [`audit accept exited ${accept.exitCode}: ${accept.stderr.trim()}`];
  const pause = await runTauPo(binary, ['pause', ...flags(scenario)]);
  if (pause.exitCode !== 0) violations.push(`pause after accept exited ${pause.exitCode}: ${pause.stderr.trim()}`);
  const verify = await runTauPo(binary, ['audit', 'verify', '--json', '--state-dir', scenario.stateDir]);
  const accepted = acceptedKinds(verify.stdout);
  if (verify.exitCode !== 0 || !accepted.includes(finding)) {
    violations.push(`after accept: audit verify exited ${verify.exitCode}, accepted history ${accepted.join(', ') || 'empty'} (wanted ${finding})`);
  }
  return violations;
}

function acceptedKinds(json: string): string[] {
  try {
    const document = JSON.parse(json) as { accepted?: { findings?: { kind?: unknown }[] }[] };
    return (document.accepted ?? []).flatMap((entry) => (entry.findings ?? []).map((f) => String(f.kind)));
  } catch {
    return [];
  }
}

function findingKinds(json: string): string[] {
  try {
    const document = JSON.parse(json) as { problems?: { kind?: unknown }[] };
    return (document.problems ?? []).map((p) => String(p.kind));
  } catch {
    return [];
  }
}
