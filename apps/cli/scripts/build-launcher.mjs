// Post-build step (after tsup wrote dist/tau-po.cjs):
//  1. builds a V8 startup snapshot of the bundle, with every module already
//     initialised, and keeps it only if it behaves exactly like the bundle;
//  2. writes dist/tau-po, the `tau-po` bin (and the same file as dist/tau-po.js):
//     a file that is both a POSIX sh script and JavaScript. Executed, the sh
//     part starts Node from the snapshot when it is safe, else runs the bundle;
//     run as `node dist/tau-po.js`, the JavaScript part loads the bundle. The bin
//     has no extension because package managers' bin shims run a `.js` bin with
//     node (skipping the launcher) but execute an extensionless one.
// Set TAU_PO_SKIP_SNAPSHOT=1 to build without a snapshot.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dist = path.resolve(import.meta.dirname, '..', 'dist');
const bundle = path.join(dist, 'tau-po.cjs');
const launchers = [path.join(dist, 'tau-po'), path.join(dist, 'tau-po.js')];
// Named by the Node that built it: a blob only loads in that exact Node.
const blobName = `tau-po-${process.version}-${process.platform}-${process.arch}.blob`;
const blob = path.join(dist, blobName);

/** Node without NODE_OPTIONS: V8 flags there change the heap layout and a snapshot must match it. */
function cleanEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

function run(args, options = {}) {
  return spawnSync(process.execPath, args, { encoding: 'utf8', env: cleanEnv(), ...options });
}

function shellQuote(text) {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * Runs the same argv through the bundle and the snapshot; the snapshot is
 * kept only if stdout, stderr and exit status agree for every probe (a
 * help text, a control command refused for its missing policy, a usage error).
 */
function snapshotAgreesWithBundle(candidate) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-po-snapshot-check-'));
  try {
    const probes = [
      ['--version'],
      ['resume', '--help'],
      ['status', '--state-dir', path.join(scratch, 'state'), '--rbac-policy', path.join(scratch, 'missing.json')],
      ['--prompt-optimization-control-pause', '--prompt-optimization-control-cancel'],
    ];
    for (const probe of probes) {
      const plain = run([bundle, ...probe], { cwd: scratch });
      const fromSnapshot = run(['--snapshot-blob', candidate, '--', ...probe], { cwd: scratch });
      if (
        plain.status !== fromSnapshot.status ||
        plain.stdout !== fromSnapshot.stdout ||
        plain.stderr !== fromSnapshot.stderr
      ) {
        console.error(`snapshot disagrees with the bundle for: tau-po ${probe.join(' ')}`);
        console.error(`  bundle:   status ${plain.status} stderr ${JSON.stringify(plain.stderr.slice(0, 300))}`);
        console.error(`  snapshot: status ${fromSnapshot.status} stderr ${JSON.stringify(fromSnapshot.stderr.slice(0, 300))}`);
        return false;
      }
    }
    return true;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function buildSnapshot() {
  if (process.env.TAU_PO_SKIP_SNAPSHOT === '1') return false;
  const temporary = path.join(dist, `.${blobName}.tmp-${process.pid}`);
  const built = run(['--snapshot-blob', temporary, '--build-snapshot', bundle], { cwd: dist });
  if (built.status !== 0 || !fs.existsSync(temporary)) {
    console.error(`warning: no startup snapshot (node --build-snapshot exited ${built.status}):\n${built.stderr}`);
    fs.rmSync(temporary, { force: true });
    return false;
  }
  if (!snapshotAgreesWithBundle(temporary)) {
    console.error('warning: startup snapshot discarded; tau-po runs the plain bundle');
    fs.rmSync(temporary, { force: true });
    return false;
  }
  fs.renameSync(temporary, blob);
  return true;
}

/**
 * The launcher. The sh part uses builtins only and takes the snapshot only
 * when Node will accept it: NODE_OPTIONS empty (V8 flags there make Node
 * reject the blob), `node` on PATH is the very binary that built it (`-ef`:
 * same device and inode, so an upgrade, which replaces the file, or another
 * Node on PATH does not match) and the blob is newer than that binary
 * (catches a binary overwritten in place). Otherwise it runs the plain
 * bundle, which is slower but always right. `exec` keeps the pid, so
 * signals and exit status are Node's own.
 *
 * `node` is looked up on PATH by a loop rather than `$(command -v node)`:
 * command substitution forks a subshell, 0.3 ms of every start (measured).
 * The loop finds what `command -v` finds: the first regular executable
 * `node` in PATH order, an empty entry (also a trailing `:`) meaning the
 * current directory; globbing is off while PATH is split (IFS is then
 * unset: the default splitting).
 */
function launcherText(withSnapshot) {
  const nodeBinary = fs.realpathSync(process.execPath);
  const snapshotBranch = withSnapshot
    ? `b="$d/${blobName}"
if [ -z "$NODE_OPTIONS" ] && [ -z "$TAU_PO_NO_SNAPSHOT" ] && [ -f "$b" ]; then
  n=
  case $PATH in *:) p=$PATH. ;; *) p=$PATH ;; esac
  set -f; IFS=:
  for e in $p; do
    if [ -f "\${e:-.}/node" ] && [ -x "\${e:-.}/node" ]; then n=\${e:-.}/node; break; fi
  done
  unset IFS; set +f
  if [ "$n" -ef ${shellQuote(nodeBinary)} ] && [ "$b" -nt "$n" ]; then
    exec "$n" --snapshot-blob "$b" -- "$@"
  fi
fi
`
    : '';
  const text = `#!/bin/sh
":" /*
# tau-po launcher, generated by apps/cli/scripts/build-launcher.mjs.
# Read as sh when executed; as JavaScript (this part is a comment) by node.
d=\${0%/*}
[ "$d" = "$0" ] && d=.
if [ -L "$0" ]; then f=$(readlink -f "$0") && d=\${f%/*}; fi
# tau-po opens no TLS connection, and Node 20 reads NODE_EXTRA_CA_CERTS
# eagerly at start-up (about 30 ms on the development machine).
unset NODE_EXTRA_CA_CERTS
${snapshotBranch}exec node "$d/tau-po.cjs" "$@"
*/
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./tau-po.cjs');
`;
  // The sh part lives inside a JavaScript block comment, which its text must not close.
  if (text.slice(text.indexOf('/*') + 2, text.lastIndexOf('*/')).includes('*/')) {
    throw new Error('build-launcher: the sh part of the launcher contains */');
  }
  return text;
}

/** Writes a file by rename, so a tau-po started meanwhile sees the old file or the new one. */
function writeFileAtomically(file, text, mode) {
  const temporary = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(temporary, text, { mode });
  fs.chmodSync(temporary, mode);
  fs.renameSync(temporary, file);
}

if (!fs.existsSync(bundle)) {
  console.error(`build-launcher: ${bundle} is missing; run tsup first`);
  process.exit(1);
}
const withSnapshot = buildSnapshot();
// Any other blob is from another Node or an older bundle; without a new one,
// the old one of this name would start stale code.
for (const entry of fs.readdirSync(dist)) {
  if (entry.endsWith('.blob') && !(withSnapshot && entry === blobName)) fs.rmSync(path.join(dist, entry), { force: true });
}
for (const launcher of launchers) writeFileAtomically(launcher, launcherText(withSnapshot), 0o755);
console.log(`build-launcher: wrote dist/tau-po, dist/tau-po.js${withSnapshot ? ` and dist/${blobName}` : ' (no snapshot)'}`);
