// Cold start of `tau-po resume` against `node -e 0` (issue 6, item 7).
// Usage: pnpm --filter @tau/cli build && pnpm --filter @tau/cli bench [-- --runs 20] [--launcher <installed tau-po>]
// Measures the median wall time of N runs of each command, interleaved so that
// machine load hits them alike, with NODE_EXTRA_CA_CERTS unset (it costs
// ~30 ms of Node start-up here and tau-po's launcher drops it anyway).
// The state directory is the "small" one: 20 audit rows written by
// tau-po itself, a small checkpoint, a running training status; restored
// before every run, so every resume detects a crash and restores the primary.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const appDir = path.resolve(import.meta.dirname, '..');
// `--launcher <bin>` measures another install, e.g. one from the tarball
// (`npm i -g --prefix`), run by whichever `node` is first on PATH.
const launcherFlag = process.argv.indexOf('--launcher');
const launcher = launcherFlag === -1 ? path.join(appDir, 'dist', 'tau-po') : path.resolve(process.argv[launcherFlag + 1]);
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag === -1 ? 20 : Number(process.argv[runsFlag + 1]);

if (!fs.existsSync(launcher)) {
  console.error(`missing ${launcher}: run pnpm --filter @tau/cli build first`);
  process.exit(1);
}
const bundle = path.join(path.dirname(fs.realpathSync(launcher)), 'tau-po.cjs');

const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
delete env.NODE_OPTIONS;

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-po-cli-cold-start-'));
const stateDir = path.join(scratch, 'state');
const policyPath = path.join(scratch, 'rbac.json');
const controlArgs = ['--state-dir', stateDir, '--rbac-policy', policyPath, '--principal', 'local:rl-operator'];

function tauPo(args, extraEnv = {}) {
  const result = spawnSync(launcher, args, { env: { ...env, ...extraEnv }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tau-po ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

function prepareStateDir() {
  fs.mkdirSync(stateDir, { recursive: true });
  fs.writeFileSync(
    policyPath,
    JSON.stringify({
      schema_version: 1,
      team_mode: true,
      bindings: [{ principal: 'local:rl-operator', roles: ['operator'] }],
      roles: { operator: { allow: ['control:rl:*'] } },
    }),
  );
  fs.writeFileSync(
    path.join(stateDir, 'status.json'),
    JSON.stringify(
      {
        schema_version: 1, updated_unix_ms: 1717171600000, run_state: 'running', model_ref: 'm',
        store_path: 's', total_rollouts: 10, succeeded: 9, failed: 1, cancelled: 0,
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(
    path.join(stateDir, 'policy-checkpoint.json'),
    JSON.stringify(
      {
        checkpoint_version: 1, run_id: 'bench-run', policy_state: { weights: [0.25, 0.75] },
        optimizer_state: { step: 7 }, global_step: 70, optimizer_step: 7, saved_at_unix_seconds: 1717171500,
      },
      null,
      2,
    ),
  );
  // 20 audit rows written by tau-po itself (so they carry our hash chain), ending running.
  for (let index = 0; index < 20; index += 1) tauPo([index % 2 === 0 ? 'pause' : 'resume', ...controlArgs]);
  const template = new Map();
  for (const name of fs.readdirSync(stateDir)) template.set(name, fs.readFileSync(path.join(stateDir, name)));
  return template;
}

function restore(template) {
  for (const name of fs.readdirSync(stateDir)) if (!template.has(name)) fs.rmSync(path.join(stateDir, name), { force: true });
  for (const [name, bytes] of template) fs.writeFileSync(path.join(stateDir, name), bytes);
}

function timeOnce(command, args, extraEnv) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return elapsed;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const template = prepareStateDir();
const cases = [
  { name: 'node -e 0', command: process.execPath, args: ['-e', '0'] },
  { name: 'tau-po resume (launcher: snapshot)', command: launcher, args: ['resume', ...controlArgs], resets: true },
  { name: 'node dist/tau-po.cjs resume (plain bundle)', command: process.execPath, args: [bundle, 'resume', ...controlArgs], resets: true },
  { name: 'tau-po resume --json, Tau spelling', command: launcher, resets: true, args: [
    '--prompt-optimization-control-resume', '--prompt-optimization-control-state-dir', stateDir,
    '--prompt-optimization-control-rbac-policy', policyPath, '--prompt-optimization-control-principal', 'local:rl-operator',
    '--prompt-optimization-control-json'] },
  { name: 'tau-po resume --dry-run (no commit, no fsync)', command: launcher, args: ['resume', '--dry-run', ...controlArgs] },
  { name: 'tau-po status', command: launcher, args: ['status', ...controlArgs] },
  { name: 'tau-po resume --help (yargs, lazily)', command: launcher, args: ['resume', '--help'] },
];
const samples = cases.map(() => []);
for (let run = 0; run < runs; run += 1) {
  cases.forEach((benchCase, index) => {
    if (benchCase.resets) restore(template);
    samples[index].push(timeOnce(benchCase.command, benchCase.args, benchCase.env));
  });
}
fs.rmSync(scratch, { recursive: true, force: true });

const baseline = median(samples[0]);
console.log(`cold start, median of ${runs} runs (Node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)})`);
console.log('  median   ratio      min  command');
cases.forEach((benchCase, index) => {
  const value = median(samples[index]);
  const fastest = Math.min(...samples[index]);
  console.log(
    `${value.toFixed(1).padStart(6)} ms  ${(value / baseline).toFixed(2)}x  ${fastest.toFixed(1).padStart(5)} ms  ${benchCase.name}`,
  );
});
const ratio = median(samples[1]) / baseline;
console.log(`ratio tau-po resume / node -e 0: ${ratio.toFixed(2)} (target <= 2.00)`);
