// Builds tau-po's V8 startup snapshot for one Node binary into a snapshot
// cache, atomically, and only if the snapshot behaves exactly like the bundle.
// Plain JavaScript with no dependencies: it ships beside the bundle as
// dist/tau-po-snapshot-cache.mjs and runs in two ways:
//  - at build time, from scripts/build-launcher.mjs (the Node that builds);
//  - on first use, as a detached background process started by the bundle
//    when the launcher found no snapshot for the `node` it is about to run
//    (`node tau-po-snapshot-cache.mjs <bundle> <bundle-key> <node> <root>...`).
//
// A snapshot only loads in the very Node binary that built it (Node aborts or
// exits 14 otherwise), so a cache entry is a directory holding the blob and a
// hard link `node` to the binary it was built by. The launcher (sh, builtins
// only) takes an entry when `[ "$node" -ef "$entry/node" ]` (same device and
// inode: an upgraded or replaced binary is a new inode and never matches;
// the hard link keeps the old inode, so the test cannot be fooled by a new
// file at the old path) and the blob is newer than the binary (catches a
// binary rewritten in place). No hard link possible (another filesystem,
// protected hard links): no snapshot, the plain bundle, always right.
//
// Layout: <root>/<bundle-key>/<node-version>-<platform>-<arch>-<random>/{node,tau-po.blob};
// the bundle key is a hash of the bundle, so a new bundle never meets an old
// snapshot. Entries are built in a dot-directory and renamed into place, so a
// launcher sees a complete entry or none.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** File names inside a cache entry (the launcher spells them too). */
export const ENTRY_BLOB = 'tau-po.blob';
export const ENTRY_NODE = 'node';

/** A failed build is not retried for this long (the bundle checks the marker before starting a build). */
export const FAILED_BUILD_RETRY_MS = 24 * 60 * 60 * 1000;
/** A build lock older than this is from a builder that died. */
export const STALE_BUILD_LOCK_MS = 10 * 60 * 1000;

/** Key of the bundle: its snapshot must be rebuilt whenever its bytes change. */
export function bundleKey(bundleFile) {
  return crypto.createHash('sha256').update(fs.readFileSync(bundleFile)).digest('hex').slice(0, 16);
}

/** The Node this process runs in, as it names cache entries and markers. */
export function nodeKey() {
  return `${process.version}-${process.platform}-${process.arch}`;
}

/** Node without NODE_OPTIONS: V8 flags there change the heap layout and a snapshot must match it. */
function cleanEnv() {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.NODE_EXTRA_CA_CERTS;
  for (const name of Object.keys(env)) if (name.startsWith('TAU_PO_SNAPSHOT_')) delete env[name];
  return env;
}

function run(args, options = {}) {
  return spawnSync(process.execPath, args, { encoding: 'utf8', env: cleanEnv(), timeout: 60_000, ...options });
}

/**
 * Runs the same argv through the bundle and the snapshot; the snapshot is
 * kept only if stdout, stderr and exit status agree for every probe (a
 * help text, a control command refused for its missing policy, a usage error).
 */
function snapshotAgreesWithBundle(bundle, candidate, log) {
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
      const fromSnapshot = run(['--snapshot-blob', candidate, '--', ...probe], { cwd: scratch, env: { ...cleanEnv(), TAU_PO_BUNDLE_DIR: path.dirname(bundle) } });
      if (plain.status !== fromSnapshot.status || plain.stdout !== fromSnapshot.stdout || plain.stderr !== fromSnapshot.stderr) {
        log(`snapshot disagrees with the bundle for: tau-po ${probe.join(' ')}`);
        log(`  bundle:   status ${plain.status} stderr ${JSON.stringify(plain.stderr.slice(0, 300))}`);
        log(`  snapshot: status ${fromSnapshot.status} stderr ${JSON.stringify(fromSnapshot.stderr.slice(0, 300))}`);
        return false;
      }
    }
    return true;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function sameFile(a, b) {
  try {
    const left = fs.statSync(a);
    const right = fs.statSync(b);
    return left.dev === right.dev && left.ino === right.ino;
  } catch {
    return false;
  }
}

/** An entry of keyDir the launcher would take for the running Node, if any. */
function usableEntry(keyDir) {
  let names;
  try {
    names = fs.readdirSync(keyDir);
  } catch {
    return undefined;
  }
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const entry = path.join(keyDir, name);
    const blob = fs.statSync(path.join(entry, ENTRY_BLOB), { throwIfNoEntry: false });
    const node = fs.statSync(process.execPath);
    if (sameFile(path.join(entry, ENTRY_NODE), process.execPath) && blob !== undefined && blob.size > 0 && blob.mtimeMs > node.mtimeMs) {
      try {
        fs.accessSync(path.join(entry, ENTRY_BLOB), fs.constants.R_OK);
        return entry;
      } catch {
        // Unreadable: rebuilt below (and this entry pruned).
      }
    }
  }
  return undefined;
}

/**
 * Removes entries that can never be used again: built by this Node binary
 * (they are being replaced: unreadable, stale or older), or whose binary is
 * gone (the hard link is the last name of its inode).
 */
function pruneEntries(keyDir, keep) {
  for (const name of fs.readdirSync(keyDir)) {
    if (name.startsWith('.') || name === keep) continue;
    const entry = path.join(keyDir, name);
    const link = path.join(entry, ENTRY_NODE);
    let orphan;
    try {
      orphan = fs.statSync(link).nlink <= 1 || sameFile(link, process.execPath);
    } catch {
      orphan = true;
    }
    if (orphan) fs.rmSync(entry, { recursive: true, force: true });
  }
}

/**
 * Builds the snapshot of `bundle` for the running Node into the first root
 * that can hold it. `launcherNode` is the `node` the launcher found on PATH:
 * the entry is only made when it is this very binary (not a wrapper or a
 * version manager's shim, which may run another Node next time).
 * Returns the entry directory, or undefined when no snapshot was made.
 */
export function buildSnapshotInCache({ bundle, key, launcherNode, roots, log = () => {} }) {
  if (!sameFile(launcherNode, process.execPath)) {
    log(`no snapshot: ${launcherNode} is not the running Node (${process.execPath})`);
    return undefined;
  }
  if (bundleKey(bundle) !== key) {
    log('no snapshot: the bundle changed since the launcher was written');
    return undefined;
  }
  for (const root of roots) {
    const keyDir = path.join(root, key);
    const existing = usableEntry(keyDir);
    if (existing !== undefined) return existing;
    try {
      fs.mkdirSync(keyDir, { recursive: true });
    } catch {
      continue;
    }
    const lock = path.join(keyDir, `.lock-${nodeKey()}`);
    let lockFd;
    try {
      lockFd = fs.openSync(lock, 'wx');
    } catch (error) {
      if (error.code !== 'EEXIST') continue; // not writable: the next root
      const age = Date.now() - fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (!(age > STALE_BUILD_LOCK_MS)) return undefined; // another builder is at it
      fs.rmSync(lock, { force: true });
      try {
        lockFd = fs.openSync(lock, 'wx');
      } catch {
        return undefined;
      }
    }
    fs.closeSync(lockFd);
    try {
      return buildEntry({ bundle, keyDir, log });
    } finally {
      fs.rmSync(lock, { force: true });
    }
  }
  log('no snapshot: no writable snapshot cache');
  return undefined;
}

function buildEntry({ bundle, keyDir, log }) {
  const name = `${nodeKey()}-${crypto.randomBytes(4).toString('hex')}`;
  const staging = path.join(keyDir, `.${name}`);
  const failedMarker = path.join(keyDir, `.failed-${nodeKey()}`);
  fs.mkdirSync(staging);
  try {
    try {
      fs.linkSync(process.execPath, path.join(staging, ENTRY_NODE));
    } catch (error) {
      log(`no snapshot: cannot hard-link ${process.execPath} into ${keyDir} (${error.code})`);
      fs.writeFileSync(failedMarker, `hard link: ${error.code}\n`);
      return undefined;
    }
    const blob = path.join(staging, ENTRY_BLOB);
    const built = run(['--snapshot-blob', blob, '--build-snapshot', bundle], { cwd: staging });
    if (built.status !== 0 || !fs.existsSync(blob)) {
      log(`no snapshot (node --build-snapshot exited ${built.status}):\n${built.stderr}`);
      fs.writeFileSync(failedMarker, `build-snapshot exited ${built.status}\n`);
      return undefined;
    }
    if (!snapshotAgreesWithBundle(bundle, blob, log)) {
      log('startup snapshot discarded; tau-po runs the plain bundle');
      fs.writeFileSync(failedMarker, 'snapshot disagrees with the bundle\n');
      return undefined;
    }
    // Durable before it becomes visible: a torn blob would make Node abort.
    const fd = fs.openSync(blob, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    const entry = path.join(keyDir, name);
    fs.renameSync(staging, entry);
    fs.rmSync(failedMarker, { force: true });
    pruneEntries(keyDir, name);
    return entry;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

// Run as the background builder: never prints (stdio is ignored), never throws.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
  const [bundle, key, launcherNode, ...roots] = process.argv.slice(2);
  try {
    if (bundle && key && launcherNode && roots.length > 0) buildSnapshotInCache({ bundle, key, launcherNode, roots });
  } catch {
    // A cache that cannot be written is no snapshot: the plain bundle keeps working.
  }
}
