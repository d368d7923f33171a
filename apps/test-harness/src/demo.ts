import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RECOVERY_REPORT_FILE } from '@tau/schemas';
import { OPERATOR_PRINCIPAL } from './rbac-policy-fixture.js';
import { writeScenario } from './scenario-writer.js';
import { describeRunEnd, runTauPo, scenarioFlags } from './tau-po-process.js';
import type { TauPoBinary } from './tau-po-binary.js';

/** Where the demo writes its narration. */
export type DemoOutput = (text: string) => void;

function quoteForShell(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The demo's last words: a token (in a token store beside the scenario) and the
 * command that serves the scenario's state dir with the dashboard. False when
 * the token could not be made.
 */
async function printDashboardInvitation(binary: TauPoBinary, scenario: { root: string; stateDir: string; policyPath: string }, print: DemoOutput): Promise<boolean> {
  const tokenStore = join(scenario.root, 'control-tokens.json');
  const created = await runTauPo(binary, ['token', 'create', '--principal', OPERATOR_PRINCIPAL, '--label', 'demo', '--token-store', tokenStore]);
  const token = created.stdout.trim();
  if (created.exitCode !== 0 || token === '') {
    print(`\n(could not create a dashboard token: ${describeRunEnd(created)}: ${created.stderr.trim()})\n`);
    return false;
  }
  const serve = ['serve', '--listen', DEMO_LISTEN, '--state-dir', scenario.stateDir, '--rbac-policy', scenario.policyPath, '--token-store', tokenStore];
  print(
    `\nSee it in the dashboard: serve the state dir, open http://${DEMO_LISTEN}/ and sign in as ${OPERATOR_PRINCIPAL}\n` +
      `  ${binary.path} ${serve.map(quoteForShell).join(' ')}\n` +
      `Access token:\n  ${token}\n`,
  );
  return true;
}

/** Where the demo's serve command listens (loopback only). */
const DEMO_LISTEN = '127.0.0.1:7433';

/**
 * The newcomer's tour: a run crashed and its newest checkpoint is corrupt;
 * `doctor` says what it sees, `resume` recovers from the fallback, and the
 * recovery report and audit timeline explain what happened. Returns the exit
 * status: 0 when every step behaved as documented.
 */
export async function runDemo(binary: TauPoBinary, print: DemoOutput = (text) => process.stdout.write(text)): Promise<number> {
  const scenario = writeScenario('crashed-corrupt-primary', mkdtempSync(join(tmpdir(), 'tau-po-demo-')));
  const flags = scenarioFlags(scenario.stateDir, scenario.policyPath, OPERATOR_PRINCIPAL);
  let step = 0;
  const heading = (title: string, explanation: string) => {
    step += 1;
    print(`\n== ${step}. ${title}\n${explanation}\n\n`);
  };
  const run = async (args: string[]) => {
    print(`$ tau-po ${args.map(quoteForShell).join(' ')}\n`);
    const result = await runTauPo(binary, args);
    if (result.stdout !== '') print(result.stdout.endsWith('\n') ? result.stdout : `${result.stdout}\n`);
    if (result.stderr !== '') print(result.stderr.endsWith('\n') ? result.stderr : `${result.stderr}\n`);
    print(`(${describeRunEnd(result)})\n`);
    return result;
  };

  heading(
    'A training run crashed, and its newest checkpoint is corrupt',
    `The trainer died mid-run: control state says "running", there is no status.json, and policy-checkpoint.json\nwas cut off mid-write. The older policy-checkpoint.rollback.json is intact. State dir:\n  ${scenario.stateDir}\n  ${readdirSync(scenario.stateDir).sort().join('  ')}\nRBAC policy (team mode, ${OPERATOR_PRINCIPAL} may run every control action): ${scenario.policyPath}`,
  );
  heading('Before touching anything: doctor', 'doctor lists everything that would stop a resume. It reads, never writes.');
  const doctor = await run(['doctor', ...flags]);
  heading('Resume', 'resume authorizes, takes the state-dir lock, replays the audit log, detects the crash, falls back to the\nrollback checkpoint, writes recovery-report.json, then commits one audit row and the new control state.');
  const resume = await run(['resume', ...flags]);
  heading('The recovery report', 'What resume found and did; checkpoint_source says which checkpoint it restored, diagnostics say why.');
  let recovered: { checkpoint_source?: unknown; checkpoint_global_step?: unknown } = {};
  try {
    const report = readFileSync(join(scenario.stateDir, RECOVERY_REPORT_FILE), 'utf8');
    print(`${report}\n`);
    recovered = JSON.parse(report) as typeof recovered;
  } catch (error) {
    print(`(no readable recovery report: ${(error as Error).message})\n`);
  }
  const reportOk = recovered.checkpoint_source === 'fallback';
  heading('The audit timeline', 'Every control action ever taken on this run, oldest first; the last row is the resume you just ran.\nEach row carries the hash of the one before it, so `tau-po audit verify` notices edits.');
  const timeline = await run(['audit', 'timeline', '--state-dir', scenario.stateDir]);
  if (reportOk) {
    print(
      `\n== In short\nThe crash was detected, the corrupt primary was refused with its reason recorded, the run resumed from the\nfallback checkpoint (global_step ${String(recovered.checkpoint_global_step)}), and the resume is one more chained audit row.\n`,
    );
  }
  print(`\nTry it yourself: the scenario is still at ${scenario.root}\n  ${binary.path} status ${flags.map(quoteForShell).join(' ')}\n`);
  const dashboard = await printDashboardInvitation(binary, scenario, print);
  const ok = doctor.exitCode !== null && resume.exitCode === 0 && reportOk && timeline.exitCode === 0 && dashboard;
  if (!ok) print('\nThe demo did not go as documented (see the exit statuses above).\n');
  return ok ? 0 : 1;
}
