// Packaging test (issue 14): what `npm install` gets from outside this workspace.
// Run after `pnpm build` (CI: `.ci/run`, after the tests; locally:
// `pnpm test:packaging`). Packs every public package with `pnpm pack`,
// then, in a temporary directory outside the workspace:
//  - inspects every tarball's manifest and file list (no `@tau/source`, no
//    src/, tests, benches or dev scripts; license, LICENSE, repository, engines);
//  - installs the libraries from those tarball files with npm into a throwaway
//    project (the tools below at the exact versions pinned here, from the
//    registry) and checks ESM import, CJS require (Node's require(esm)),
//    `tsc --noEmit` with module node16, nodenext and bundler, and ajv's
//    2020-12 build validating a sample of every artifact against the shipped
//    JSON Schemas (Tau-written fixtures plus files the installed CLI writes);
//  - installs the CLI tarball alone (`npm i -g --prefix`) and runs `--version`,
//    `--help` and `status`;
//  - runs publint and @arethetypeswrong/cli on every tarball: no errors.
// Prints one line per check; exits 1 if any failed.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const TOOLS = {
  typescript: '5.9.3',
  ajv: '8.20.0',
  '@types/node': '20.19.43',
  publint: '0.3.25',
  '@arethetypeswrong/cli': '0.18.5',
};

const workspace = path.resolve(import.meta.dirname, '..');
const started = Date.now();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-po-packaging-'));
const keep = process.argv.includes('--keep');
let passed = 0;
let failed = 0;

function check(name, body) {
  const checkStarted = Date.now();
  try {
    const note = body();
    passed += 1;
    const seconds = ((Date.now() - checkStarted) / 1000).toFixed(1);
    console.log(`ok   ${name}${note ? ` (${note})` : ''} [${seconds} s]`);
  } catch (error) {
    failed += 1;
    console.log(`FAIL ${name}: ${String(error?.message ?? error).trim().split('\n').slice(0, 25).join('\n     ')}`);
  }
}

function sh(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 300_000, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0 && !options.allowFailure) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** Environment for npm and node in the throwaway projects: nothing from this workspace's pnpm run. */
function cleanEnv(extra = {}) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_|PNPM_|INIT_CWD$|NODE_OPTIONS$|NODE_PATH$|TAU_)/i.test(name)) continue;
    env[name] = value;
  }
  return { ...env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false', ...extra };
}

function publicPackages() {
  const dirs = [...fs.readdirSync(path.join(workspace, 'packages')).map((name) => path.join('packages', name)), path.join('apps', 'cli')];
  return dirs
    .map((dir) => ({ dir: path.join(workspace, dir), manifest: JSON.parse(fs.readFileSync(path.join(workspace, dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => manifest.private !== true);
}

function tarballFiles(tarball) {
  return sh('tar', ['-tzf', tarball]).stdout.split('\n').filter(Boolean).map((line) => line.replace(/^package\//, ''));
}

function tarballManifest(tarball) {
  return JSON.parse(sh('tar', ['-xzOf', tarball, 'package/package.json']).stdout);
}

try {
  const tarballDir = path.join(scratch, 'tarballs');
  fs.mkdirSync(tarballDir);
  const packages = publicPackages();
  const tarballs = new Map();

  for (const pkg of packages) {
    check(`pnpm pack ${pkg.manifest.name}`, () => {
      const before = new Set(fs.readdirSync(tarballDir));
      sh('pnpm', ['pack', '--pack-destination', tarballDir], { cwd: pkg.dir });
      const made = fs.readdirSync(tarballDir).filter((name) => !before.has(name));
      if (made.length !== 1) throw new Error(`expected one tarball, got ${made.join(', ')}`);
      const file = path.join(tarballDir, made[0]);
      tarballs.set(pkg.manifest.name, file);
      return `${(fs.statSync(file).size / 1024).toFixed(1)} KiB`;
    });
  }

  const rootLicense = fs.readFileSync(path.join(workspace, 'LICENSE'), 'utf8');
  for (const [name, tarball] of tarballs) {
    check(`${name}: published manifest and files`, () => {
      const manifest = tarballManifest(tarball);
      const text = JSON.stringify(manifest);
      const problems = [];
      if (text.includes('@tau/source')) problems.push('manifest names the @tau/source condition');
      if (/"\.\/src\//.test(text)) problems.push('manifest points into src/');
      if ('publishConfig' in manifest) problems.push('publishConfig left in the manifest');
      if (text.includes('workspace:')) problems.push('workspace: protocol left in the manifest');
      for (const field of ['license', 'repository', 'engines']) if (!manifest[field]) problems.push(`no ${field}`);
      if (name !== '@tau/cli') {
        if (manifest.sideEffects !== false) problems.push('sideEffects is not false');
        const root = manifest.exports?.['.'];
        for (const condition of ['types', 'import', 'default']) if (!root?.[condition]) problems.push(`exports["."] has no ${condition}`);
        if (manifest.exports?.['./package.json'] !== './package.json') problems.push('./package.json not exported');
      } else if (Object.keys(manifest.dependencies ?? {}).length > 0) {
        problems.push(`the CLI bundle declares dependencies: ${Object.keys(manifest.dependencies).join(', ')}`);
      }
      const files = tarballFiles(tarball);
      for (const file of files) {
        if (/^src\/|\.test\.|(^|\/)bench\/|generate-json-schema-files|\.blob$|(^|\/)snapshots\//.test(file)) problems.push(`ships ${file}`);
      }
      if (!files.includes('LICENSE')) problems.push('no LICENSE');
      else if (sh('tar', ['-xzOf', tarball, 'package/LICENSE']).stdout !== rootLicense) problems.push('LICENSE differs from the root LICENSE');
      if (problems.length > 0) throw new Error(problems.join('; '));
      return `${files.length} files`;
    });
  }

  // The throwaway consumer project: every library from its tarball file.
  const consumer = path.join(scratch, 'consumer');
  fs.mkdirSync(consumer);
  const libraries = [...tarballs.keys()].filter((name) => name !== '@tau/cli');
  const fileSpecs = Object.fromEntries(libraries.map((name) => [name, `file:${tarballs.get(name)}`]));
  fs.writeFileSync(
    path.join(consumer, 'package.json'),
    JSON.stringify(
      {
        name: 'tau-po-packaging-consumer',
        private: true,
        type: 'module',
        dependencies: fileSpecs,
        devDependencies: TOOLS,
        // The libraries' dependencies on each other (`0.1.0`) are the local tarballs too, never a registry lookup.
        overrides: fileSpecs,
      },
      null,
      2,
    ),
  );
  let installed = false;
  check('npm install of the libraries from their tarballs (outside the workspace)', () => {
    sh('npm', ['install', '--no-package-lock', '--loglevel=error'], { cwd: consumer, env: cleanEnv() });
    installed = true;
  });

  if (installed) {
    const run = (args, options = {}) => sh(process.execPath, args, { cwd: consumer, env: cleanEnv(), ...options });
    // One process per module system: each library's export count, or its error.
    const loadAll = (load) =>
      `const out = {}; for (const name of ${JSON.stringify(libraries)}) { try { out[name] = Object.keys(${load}).length; } catch (error) { out[name] = String(error); } } console.log(JSON.stringify(out));`;
    const esm = run(['--input-type=module', '-e', `${loadAll('await import(name)')}`]);
    const cjs = run(['-e', loadAll('require(name)')]);
    const loaded = { 'ESM import': JSON.parse(esm.stdout), 'CJS require': JSON.parse(cjs.stdout) };
    for (const name of libraries) {
      for (const [how, counts] of Object.entries(loaded)) {
        check(`${name}: ${how}`, () => {
          if (!(typeof counts[name] === 'number' && counts[name] > 0)) throw new Error(`no exports: ${counts[name]}`);
          return `${counts[name]} exports`;
        });
      }
    }
    check('CJS require prints no warning (require(esm) is on by default from Node 20.19)', () => {
      if (cjs.stderr.trim() !== '') throw new Error(cjs.stderr);
    });

    // TypeScript: one ES module source using a value and a type of every library.
    const uses = {
      '@tau/schemas': ["import { parseControlState, type ControlState } from '@tau/schemas';", "export const a: (text: string, path: string) => ControlState = parseControlState;"],
      '@tau/durable-fs': ["import * as durableFs from '@tau/durable-fs';", 'export const b: object = durableFs;'],
      '@tau/checkpoint-store': ["import * as checkpointStore from '@tau/checkpoint-store';", 'export const c: object = checkpointStore;'],
      '@tau/rbac': ["import * as rbac from '@tau/rbac';", 'export const d: object = rbac;'],
      '@tau/audit-log': ["import * as auditLog from '@tau/audit-log';", 'export const e: object = auditLog;'],
      '@tau/recovery': ["import { runControlCommand } from '@tau/recovery';", 'export const f: typeof runControlCommand = runControlCommand;'],
      '@tau/control-api': ["import * as controlApi from '@tau/control-api';", 'export const g: object = controlApi;'],
    };
    const source = libraries.flatMap((name) => uses[name] ?? [`import * as lib${libraries.indexOf(name)} from '${name}';`, `export const x${libraries.indexOf(name)}: object = lib${libraries.indexOf(name)};`]);
    fs.writeFileSync(path.join(consumer, 'consumer.ts'), `${source.join('\n')}\n`);
    const modes = {
      node16: { module: 'node16', moduleResolution: 'node16' },
      nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
      bundler: { module: 'esnext', moduleResolution: 'bundler' },
    };
    for (const [mode, options] of Object.entries(modes)) {
      check(`tsc --noEmit, module ${mode}`, () => {
        const tsconfig = path.join(consumer, `tsconfig.${mode}.json`);
        fs.writeFileSync(
          tsconfig,
          JSON.stringify({ compilerOptions: { ...options, target: 'es2022', lib: ['es2023'], strict: true, noEmit: true, skipLibCheck: false, types: ['node'] }, files: ['consumer.ts'] }),
        );
        sh(process.execPath, [path.join(consumer, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfig], { cwd: consumer });
      });
    }

    // Samples of every artifact: Tau-written fixtures, then what the installed CLI writes.
    const samples = [];
    const fixtures = path.join(workspace, 'packages', 'schemas', 'src', 'fixtures');
    const fixtureArtifact = [
      [/^control-audit\./, 'control-audit-row'],
      [/^control-state\./, 'control-state'],
      [/^policy-checkpoint\./, 'policy-checkpoint'],
      [/^rbac\./, 'rbac-policy'],
      [/^recovery-report\./, 'recovery-report'],
      [/^status\./, 'training-status'],
    ];
    for (const file of fs.readdirSync(fixtures)) {
      const artifact = fixtureArtifact.find(([pattern]) => pattern.test(file))?.[1];
      if (artifact) samples.push({ artifact, file: path.join(fixtures, file) });
    }

    // The CLI installed alone: a prefix of its own, no other package.
    const prefix = path.join(scratch, 'cli-alone');
    let tauPo;
    check('npm i -g <@tau/cli tarball> alone', () => {
      sh('npm', ['install', '-g', '--prefix', prefix, '--loglevel=error', tarballs.get('@tau/cli')], { cwd: scratch, env: cleanEnv() });
      const modules = fs.readdirSync(path.join(prefix, 'lib', 'node_modules', '@tau'));
      if (modules.join() !== 'cli') throw new Error(`installed more than the CLI: ${modules.join(', ')}`);
      if (fs.existsSync(path.join(prefix, 'lib', 'node_modules', '@tau', 'cli', 'node_modules'))) throw new Error('the CLI pulled dependencies');
      tauPo = path.join(prefix, 'bin', 'tau-po');
      const out = sh('du', ['-sk', path.join(prefix, 'lib', 'node_modules', '@tau', 'cli')]).stdout.split('\t')[0];
      return `${(Number(out) / 1024).toFixed(1)} MiB installed`;
    });
    if (tauPo) {
      const stateDir = path.join(scratch, 'state');
      const policy = path.join(scratch, 'rbac.json');
      const env = cleanEnv({ XDG_CACHE_HOME: path.join(scratch, 'cache') });
      const cli = (args, allowFailure = false) => sh(tauPo, args, { cwd: scratch, env, allowFailure });
      check('tau-po --version', () => {
        const out = cli(['--version']).stdout.trim();
        if (out !== tarballManifest(tarballs.get('@tau/cli')).version) throw new Error(`printed ${out}`);
        return out;
      });
      check('tau-po --help', () => {
        const out = cli(['--help']).stdout;
        if (!/resume/.test(out) || !/status/.test(out)) throw new Error(out.slice(0, 400));
      });
      check('tau-po status (and pause/resume writing every artifact)', () => {
        fs.mkdirSync(stateDir);
        fs.copyFileSync(path.join(fixtures, 'rbac.tau.json'), policy);
        const policyDoc = JSON.parse(fs.readFileSync(policy, 'utf8'));
        policyDoc.bindings = [...(policyDoc.bindings ?? []), { principal: 'local:packaging', roles: ['packaging'] }];
        policyDoc.roles = { ...policyDoc.roles, packaging: { allow: ['control:rl:*'] } };
        fs.writeFileSync(policy, JSON.stringify(policyDoc));
        fs.copyFileSync(path.join(fixtures, 'status.tau.json'), path.join(stateDir, 'status.json'));
        fs.copyFileSync(path.join(fixtures, 'policy-checkpoint.tau.json'), path.join(stateDir, 'policy-checkpoint.json'));
        const common = ['--state-dir', stateDir, '--rbac-policy', policy, '--principal', 'local:packaging', '--json'];
        const status = cli(['status', ...common]);
        JSON.parse(status.stdout);
        const report = path.join(scratch, 'control-report.json');
        fs.writeFileSync(report, cli(['pause', ...common]).stdout);
        samples.push({ artifact: 'control-report', file: report });
        for (const [file, artifact] of [
          ['control-state.json', 'control-state'],
          ['control-audit.head.json', 'control-audit-head'],
        ]) {
          if (fs.existsSync(path.join(stateDir, file))) samples.push({ artifact, file: path.join(stateDir, file) });
        }
        samples.push({ artifact: 'control-audit-row', file: path.join(stateDir, 'control-audit.jsonl') });
      });
    }

    check('ajv 2020-12: every shipped JSON Schema compiles, has an $id, and accepts a sample of its artifact', () => {
      const listing = path.join(consumer, 'node_modules', '@tau', 'schemas', 'json-schema');
      const artifacts = fs.readdirSync(listing).filter((name) => name.endsWith('.schema.json')).map((name) => name.replace(/\.schema\.json$/, ''));
      const sampled = new Set(samples.map((sample) => sample.artifact));
      const unsampled = artifacts.filter((artifact) => !sampled.has(artifact));
      if (unsampled.length > 0) throw new Error(`no sample of ${unsampled.join(', ')}`);
      const script = `
        import { createRequire } from 'node:module';
        import fs from 'node:fs';
        import Ajv2020 from 'ajv/dist/2020.js';
        const require = createRequire(import.meta.url);
        const samples = ${JSON.stringify(samples)};
        const ajv = new Ajv2020({ allErrors: true, strict: false });
        const problems = [];
        let checked = 0;
        for (const artifact of ${JSON.stringify(artifacts)}) {
          const schema = require('@tau/schemas/json-schema/' + artifact + '.schema.json');
          if (schema.$id !== 'urn:tau-po:schema:' + artifact) problems.push(artifact + ': $id ' + schema.$id);
          const validate = ajv.compile(schema);
          for (const sample of samples.filter((s) => s.artifact === artifact)) {
            const text = fs.readFileSync(sample.file, 'utf8');
            const docs = sample.file.endsWith('.jsonl') ? text.split('\\n').filter((l) => l.trim()).map((l) => JSON.parse(l)) : [JSON.parse(text)];
            for (const doc of docs) {
              checked += 1;
              if (!validate(doc)) problems.push(artifact + ' rejects ' + sample.file + ': ' + ajv.errorsText(validate.errors));
            }
          }
        }
        if (problems.length) { console.error(problems.join('\\n')); process.exit(1); }
        console.log(checked);
      `;
      const out = run(['--input-type=module', '-e', script]).stdout.trim();
      return `${artifacts.length} schemas, ${out} documents`;
    });

    // The schemas README's Python example, where Python's jsonschema is installed (not a requirement of CI).
    const python = spawnSync('python3', ['-c', 'import jsonschema'], { encoding: 'utf8' });
    if (python.status === 0) {
      check('Python jsonschema (Draft202012Validator) accepts the samples, as the schemas README shows', () => {
        const program = [
          'import json, sys',
          'from jsonschema import Draft202012Validator',
          'samples = json.loads(sys.argv[1]); base = sys.argv[2]; n = 0',
          'for s in samples:',
          '    schema = json.load(open(base + "/" + s["artifact"] + ".schema.json"))',
          '    text = open(s["file"]).read()',
          '    docs = [json.loads(l) for l in text.splitlines() if l.strip()] if s["file"].endswith(".jsonl") else [json.loads(text)]',
          '    for d in docs:',
          '        Draft202012Validator(schema).validate(d); n += 1',
          'print(n)',
        ].join('\n');
        const out = sh('python3', ['-c', program, JSON.stringify(samples), path.join(consumer, 'node_modules', '@tau', 'schemas', 'json-schema')]).stdout.trim();
        return `${out} documents`;
      });
    } else {
      console.log('skip Python jsonschema check: python3 with jsonschema is not installed');
    }

    const bin = (tool) => path.join(consumer, 'node_modules', '.bin', tool);
    for (const [name, tarball] of tarballs) {
      check(`publint ${name}`, () => {
        const unpacked = path.join(scratch, 'unpacked', name.replace('/', '__'));
        fs.mkdirSync(unpacked, { recursive: true });
        sh('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
        const result = sh(bin('publint'), ['run', unpacked, '--pack', 'false', '--level', 'warning'], { cwd: consumer, env: cleanEnv(), allowFailure: true });
        if (result.status !== 0) throw new Error(`${result.stdout}${result.stderr}`);
        const warnings = /Warnings?:/i.test(result.stdout) ? 'warnings: see output' : 'clean';
        return warnings;
      });
      // The CLI is a bin with no importable entry: nothing for attw to resolve.
      if (name === '@tau/cli') continue;
      check(`attw ${name} (profile esm-only: CommonJS callers use require(esm))`, () => {
        const result = sh(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii'], { cwd: consumer, env: cleanEnv(), allowFailure: true });
        if (result.status !== 0) throw new Error(`${result.stdout}${result.stderr}`);
      });
    }
  }
} finally {
  if (keep) console.log(`kept ${scratch}`);
  else fs.rmSync(scratch, { recursive: true, force: true });
}

console.log(`packaging: ${passed} checks passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(failed > 0 ? 1 : 0);
