#!/usr/bin/env node
// A deliberately unsafe control CLI, used only to prove the crash drill can
// fail: it does what DESIGN.md says Tau does wrong. It writes control-state.json
// in place (no temp file, no rename) and BEFORE appending its audit row, so a
// kill between the two leaves a state ahead of its commit point, and a torn
// write leaves an unparseable state. It honours the failpoint interface
// (TAU_PO_FAILPOINT, TAU_PO_FAILPOINT_TRACE) the way @tau/durable-fs does.
import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const [action, ...rest] = process.argv.slice(2);
const stateDir = rest[rest.indexOf('--state-dir') + 1];
const failpoint = /^(crash|torn)@(\d+)$/.exec(process.env.TAU_PO_FAILPOINT ?? '');
let operations = 0;

/** Counts one durable write; crashes before it, or tears it, when the failpoint says so. */
function durableWrite(path, bytes, flags) {
  operations += 1;
  if (process.env.TAU_PO_FAILPOINT_TRACE) appendFileSync(process.env.TAU_PO_FAILPOINT_TRACE, `${operations}\twrite\t${path}\n`);
  const hit = failpoint !== null && Number(failpoint[2]) === operations;
  if (hit && failpoint[1] === 'crash') process.kill(process.pid, 'SIGKILL');
  const fd = openSync(path, flags);
  writeSync(fd, hit ? bytes.subarray(0, Math.floor(bytes.length / 2)) : bytes);
  closeSync(fd);
  if (hit) process.kill(process.pid, 'SIGKILL');
}

const targets = { pause: 'paused', resume: 'running', cancel: 'cancelled', rollback: 'rollback_requested' };
const rollbackCheckpoint = action === 'rollback' ? rest[0] : null;
if (!(action in targets) || stateDir === undefined) {
  process.stderr.write('usage: state-first-control-cli.mjs pause|resume|cancel|rollback <checkpoint> --state-dir DIR\n');
  process.exit(2);
}
const statePath = join(stateDir, 'control-state.json');
const auditPath = join(stateDir, 'control-audit.jsonl');
let prior;
try {
  prior = existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')) : undefined;
} catch {
  process.stderr.write(`failed to parse training control state '${statePath}'\n`);
  process.exit(1);
}
const log = existsSync(auditPath) ? readFileSync(auditPath, 'utf8') : '';
const rows = log.split('\n').slice(0, -1).filter((line) => line !== '');
const lastRow = rows.at(-1);
const lifecycle = targets[action];
const previousHash = lastRow === undefined ? undefined : createHash('sha256').update(lastRow).digest('hex');
const row = JSON.stringify({
  schema_version: 1,
  timestamp_unix_ms: Date.now(),
  principal: 'local:rl-operator',
  action,
  action_key: `control:rl:${action}`,
  lifecycle_state: lifecycle,
  idempotent: prior?.lifecycle_state === lifecycle && (prior?.rollback_checkpoint ?? null) === rollbackCheckpoint,
  rollback_checkpoint: rollbackCheckpoint,
  recovery_checkpoint_source: null,
  ...(previousHash === undefined ? {} : { prev_sha256: previousHash }),
  os_user: 'op',
  host: 'h',
});
const state = {
  schema_version: 1,
  updated_unix_ms: Date.now(),
  lifecycle_state: lifecycle,
  last_action: action,
  principal: 'local:rl-operator',
  rollback_checkpoint: rollbackCheckpoint,
  audit_head: { row_count: rows.length + 1, last_row_sha256: createHash('sha256').update(row).digest('hex') },
};
durableWrite(statePath, Buffer.from(JSON.stringify(state, null, 2)), 'w');
durableWrite(auditPath, Buffer.from(`${row}\n`), 'a');
process.stdout.write(`lifecycle_state=${lifecycle}\n`);
