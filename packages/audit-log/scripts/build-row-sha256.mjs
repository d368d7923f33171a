// Build step (after tsup): compiles native/row-sha256.c into dist/row-sha256.node,
// the batch row hasher replay uses when it is there (src/native-row-hasher.ts).
// Without it replay hashes with node:crypto: the same hashes, slower.
//
// One C file against the headers Node installs beside its binary
// (<prefix>/include/node, OpenSSL's included): a direct compiler call needs no
// gyp files, no Python and no header download, which node-gyp would.
//
// Skipped, with a line saying why, where it cannot be built: not Linux (the
// only platform it is tested on), no C compiler, no Node headers. A compiler
// that fails on the file fails the build: that is a defect to see, not to
// hide behind the slower path.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const packageRoot = path.resolve(import.meta.dirname, '..');
const source = path.join(packageRoot, 'native', 'row-sha256.c');
const target = path.join(packageRoot, 'dist', 'row-sha256.node');
const headers = path.resolve(path.dirname(process.execPath), '..', 'include', 'node');
const compiler = process.env.CC || 'cc';

function skip(reason) {
  console.log(`row-sha256: not built (${reason}); replay hashes rows with node:crypto`);
  fs.rmSync(target, { force: true });
  process.exit(0);
}

if (process.platform !== 'linux') skip(`platform ${process.platform}`);
for (const header of ['node_api.h', path.join('openssl', 'sha.h')]) {
  if (!fs.existsSync(path.join(headers, header))) skip(`no ${path.join(headers, header)}`);
}

// Written beside the target, then renamed over it: a replay running meanwhile keeps the file it loaded.
const temporary = `${target}.${process.pid}.tmp`;
const compiled = spawnSync(
  compiler,
  ['-O2', '-std=c11', '-Wall', '-Wextra', '-shared', '-fPIC', '-fvisibility=hidden', '-I', headers, '-o', temporary, source],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
if (compiled.error?.code === 'ENOENT') skip(`no C compiler: ${compiler}`);
if (compiled.error !== undefined || compiled.status !== 0) {
  fs.rmSync(temporary, { force: true });
  console.error(`row-sha256: ${compiler} failed on ${source}: ${compiled.error?.message ?? (compiled.signal === null ? `exit status ${compiled.status}` : `killed by ${compiled.signal}`)}`);
  process.exit(1);
}
fs.renameSync(temporary, target);
console.log(`row-sha256: built ${path.relative(packageRoot, target)}`);
