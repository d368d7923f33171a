// Client mode (`--server`, TAU_PO_SERVER) runs from its own bundle,
// dist/tau-po-client.cjs, beside the main one and loaded only then (like the
// server bundle), so neither the main bundle nor its startup snapshot grows.
import { createRequire } from 'node:module';
import path from 'node:path';
import { describeControlError } from '@tau/recovery';
import { bundleDirectory } from './server-bundle-loader.js';

/** The file name of the client bundle, beside the main one. */
export const CLIENT_BUNDLE_FILE = 'tau-po-client.cjs';

/** What the client bundle exports. */
interface ClientBundle {
  runClientBundleProcess(args: readonly string[]): Promise<void>;
}

/** Loads the client bundle and runs `args` in it (it prints and sets the exit status itself). */
export async function runClientBundleCommand(args: readonly string[]): Promise<void> {
  let bundle: ClientBundle;
  try {
    bundle = createRequire(path.join(bundleDirectory(), 'tau-po.cjs'))(`./${CLIENT_BUNDLE_FILE}`) as ClientBundle;
  } catch (cause) {
    const error = new Error(`tau-po --server: cannot load ${CLIENT_BUNDLE_FILE} (is the installation complete?)`, { cause });
    process.stderr.write(`${describeControlError(error).document.error.message}\n`);
    process.exitCode = 1;
    return;
  }
  await bundle.runClientBundleProcess(args);
}
