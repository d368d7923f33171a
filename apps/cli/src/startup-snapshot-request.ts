// On a snapshot miss the launcher runs the plain bundle with TAU_PO_SNAPSHOT_NODE
// (the `node` it found on PATH), TAU_PO_SNAPSHOT_KEY (the bundle's hash) and
// TAU_PO_SNAPSHOT_ROOTS (the cache directories, one per line). Here the bundle
// starts the snapshot builder (dist/tau-po-snapshot-cache.mjs) as a detached
// background process, so this run is not slowed and the next one starts from
// the snapshot. Skipped when a build is already running or failed recently,
// so a miss costs a few stat calls, not a process per run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const SNAPSHOT_ENV = ['TAU_PO_SNAPSHOT_NODE', 'TAU_PO_SNAPSHOT_KEY', 'TAU_PO_SNAPSHOT_ROOTS'] as const;
/** Same figures as scripts/startup-snapshot-cache.mjs (STALE_BUILD_LOCK_MS, FAILED_BUILD_RETRY_MS). */
const BUILD_LOCK_FRESH_MS = 10 * 60 * 1000;
const FAILED_BUILD_RETRY_MS = 24 * 60 * 60 * 1000;
const BUILDER_FILE = 'tau-po-snapshot-cache.mjs';
const KEY_PATTERN = /^[0-9a-f]{16}$/;

/** Whether `dir` exists writable, or could be created under its nearest existing, writable ancestor. */
function canCreateUnder(dir: string): boolean {
  let current = path.resolve(dir);
  for (;;) {
    try {
      fs.accessSync(current, fs.constants.W_OK);
      return fs.statSync(current).isDirectory();
    } catch (error) {
      const parent = path.dirname(current);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) return false;
      current = parent;
    }
  }
}

function markerIsFresh(file: string, freshMs: number, now: number): boolean {
  try {
    return now - fs.statSync(file).mtimeMs < freshMs;
  } catch {
    return false; // absent, or a root that is not a directory
  }
}

/**
 * When the launcher asked for a snapshot, starts a background build as this
 * process exits (not before: the command itself should not compete with it).
 * Never throws and never prints: a snapshot is an optimisation.
 */
export function requestStartupSnapshotBuild(): void {
  const launcherNode = process.env['TAU_PO_SNAPSHOT_NODE'];
  const key = process.env['TAU_PO_SNAPSHOT_KEY'];
  const rootsText = process.env['TAU_PO_SNAPSHOT_ROOTS'];
  // Not inherited by anything this process starts (a child tau-po must ask for itself).
  for (const name of SNAPSHOT_ENV) Reflect.deleteProperty(process.env, name);
  if (launcherNode === undefined || key === undefined || rootsText === undefined || !KEY_PATTERN.test(key)) return;
  process.once('exit', () => startSnapshotBuilder(launcherNode, key, rootsText));
}

function startSnapshotBuilder(launcherNode: string, key: string, rootsText: string): void {
  try {
    const script = process.argv[1];
    if (script === undefined) return;
    const distDir = path.dirname(fs.realpathSync(script));
    const builder = path.join(distDir, BUILDER_FILE);
    const bundle = path.join(distDir, 'tau-po.cjs');
    const roots = rootsText.split('\n').filter((root) => root.length > 0);
    const nodeName = `${process.version}-${process.platform}-${process.arch}`;
    const now = Date.now();
    for (const root of roots) {
      const keyDir = path.join(root, key);
      if (markerIsFresh(path.join(keyDir, `.lock-${nodeName}`), BUILD_LOCK_FRESH_MS, now)) return;
      if (markerIsFresh(path.join(keyDir, `.failed-${nodeName}`), FAILED_BUILD_RETRY_MS, now)) return;
    }
    // Nowhere to write (read-only install, no writable cache): no builder per run.
    if (!roots.some(canCreateUnder) || !fs.existsSync(builder)) return;
    const child = spawn(process.execPath, [builder, bundle, key, launcherNode, ...roots.map((root) => path.resolve(root))], {
      detached: true,
      stdio: 'ignore',
      cwd: distDir,
    });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No snapshot this time; the plain bundle is always right.
  }
}
