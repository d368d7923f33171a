// Copies @tau/audit-log's native batch row hasher (dist/row-sha256.node) beside
// the bundles: replay looks for it beside the module that runs it (for the
// bundles, this directory) and hashes with node:crypto when it is not there.
// Copied to a temporary name, then renamed: a tau-po running meanwhile keeps
// the file it loaded.
import fs from 'node:fs';

const source = new URL('../../../packages/audit-log/dist/row-sha256.node', import.meta.url);
const target = new URL('../dist/row-sha256.node', import.meta.url);
const temporary = new URL(`../dist/row-sha256.node.${process.pid}.tmp`, import.meta.url);
if (fs.existsSync(source)) {
  fs.copyFileSync(source, temporary);
  fs.renameSync(temporary, target);
} else {
  fs.rmSync(target, { force: true });
  console.warn('packages/audit-log/dist has no row-sha256.node: tau-po hashes audit rows with node:crypto (slower)');
}
