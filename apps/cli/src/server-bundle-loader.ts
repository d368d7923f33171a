// `serve` and `token` live in a second bundle (dist/tau-po-server.cjs, with
// Fastify and the control API) loaded only when one of them runs, so local
// commands start from the snapshot exactly as before. A process started from
// the startup snapshot can still require a file at run time; the bundle's
// directory is the snapshot blob's (`--snapshot-blob <dist>/<blob>`), or else
// the script's own (`node dist/tau-po.cjs`, `node dist/tau-po.js`).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describeControlError } from '@tau/recovery';

/** The commands the server bundle runs. */
const SERVER_BUNDLE_COMMANDS: ReadonlySet<string> = new Set(['serve', 'token']);

/** The file name of the server bundle, beside the main one. */
export const SERVER_BUNDLE_FILE = 'tau-po-server.cjs';

/** True when argv names a command of the server bundle (`tau-po serve ...`, `tau-po token ...`). */
export function isServerBundleCommand(args: readonly string[]): boolean {
  return args[0] !== undefined && SERVER_BUNDLE_COMMANDS.has(args[0]);
}

/** The directory of the running bundle (dist/). */
export function bundleDirectory(): string {
  const blobFlag = process.execArgv.indexOf('--snapshot-blob');
  // From a snapshot the blob lives in a cache (scripts/startup-snapshot-cache.mjs);
  // the launcher names the bundle's directory.
  const launcherDir = blobFlag !== -1 ? process.env['TAU_PO_BUNDLE_DIR'] : undefined;
  if (launcherDir !== undefined && launcherDir !== '') return fs.realpathSync(launcherDir);
  const anchor = blobFlag !== -1 ? process.execArgv[blobFlag + 1] : process.argv[1];
  if (anchor === undefined) throw new Error('cannot tell where tau-po is installed');
  return path.dirname(fs.realpathSync(anchor));
}

/** What the server bundle exports. */
interface ServerBundle {
  runServerBundleProcess(args: readonly string[], distDir: string): Promise<void>;
}

/** Loads the server bundle and runs `args` in it (it prints and sets the exit status itself). */
export async function runServerBundleCommand(args: readonly string[]): Promise<void> {
  let bundle: ServerBundle;
  let distDir: string;
  try {
    distDir = bundleDirectory();
    bundle = createRequire(path.join(distDir, 'tau-po.cjs'))(`./${SERVER_BUNDLE_FILE}`) as ServerBundle;
  } catch (cause) {
    // Errors of the commands themselves are printed by the server bundle; this is the one the bundle cannot print.
    const error = new Error(`tau-po ${args[0]}: cannot load ${SERVER_BUNDLE_FILE} (is the installation complete?)`, { cause });
    process.stderr.write(`${describeControlError(error).document.error.message}\n`);
    process.exitCode = 1;
    return;
  }
  await bundle.runServerBundleProcess(args, distDir);
}
