// vitest globalSetup: the integration tests run the built CLI, so build it
// first when any input is newer than the launcher (turbo's `test` task
// already depends on `build`; this covers `pnpm test` run on its own).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const APP_DIR = path.resolve(import.meta.dirname, '..');
const WORKSPACE = path.resolve(APP_DIR, '..', '..');

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stats = fs.statSync(target);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of fs.readdirSync(target)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.endsWith('.test.ts')) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

export default function setup(): void {
  const launcher = path.join(APP_DIR, 'dist', 'tau-po');
  const inputs = [
    path.join(APP_DIR, 'src'),
    path.join(APP_DIR, 'scripts'),
    path.join(APP_DIR, 'tsup.config.ts'),
    path.join(APP_DIR, 'tsup.server.config.ts'),
    path.join(APP_DIR, 'package.json'),
    ...fs.readdirSync(path.join(WORKSPACE, 'packages')).map((name) => path.join(WORKSPACE, 'packages', name, 'src')),
  ];
  const built = fs.existsSync(launcher) ? fs.statSync(launcher).mtimeMs : 0;
  if (inputs.some((input) => newestMtime(input) > built)) {
    execFileSync('pnpm', ['run', 'build'], { cwd: APP_DIR, stdio: 'inherit' });
  } else {
    // A build restored from turbo's cache has no dist/snapshots (not cached).
    execFileSync(process.execPath, [path.join(APP_DIR, 'scripts', 'build-launcher.mjs'), '--snapshot-only'], { stdio: 'inherit' });
  }
}
