import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { defineConfig, type Options } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

const requireBuiltin = createRequire(import.meta.url);
const BUILTIN_IMPORT_NAMESPACE = 'tau-po-builtin-import';

/**
 * One ES module per Node built-in that ES modules import. Bundled to
 * CommonJS, esbuild turns every `import fs from 'node:fs'` into its own
 * `__toESM(require('fs'))`: a copy of the module with one getter closure
 * per export, in dictionary mode. The bundle has ~30 such imports (~2,300
 * closures), all stored in the startup snapshot and deserialized by every
 * run: about 1 ms of each tau-po start (measured, README "Cold start").
 * Here each built-in is required once, its default export is the module
 * itself, and only the named exports something imports are kept (tree
 * shaking). Named exports are functions and classes only: their value is
 * fixed, so capturing it once is the same as a live binding (a named import
 * of anything else, say `constants`, fails the build rather than freezing a
 * value at snapshot time; so does reading one from a namespace import,
 * `import * as fs`, which esbuild would otherwise only warn about: see
 * `logOverride` below). `require()` and `import()` of built-ins keep
 * esbuild's own handling.
 */
const builtinImportsOnce: EsbuildPlugin = {
  name: 'builtin-imports-once',
  setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      if (args.kind !== 'import-statement') return undefined;
      const name = args.path.replace(/^node:/, '');
      return builtinModules.includes(name) ? { path: name, namespace: BUILTIN_IMPORT_NAMESPACE } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: BUILTIN_IMPORT_NAMESPACE }, (args) => {
      const builtin = requireBuiltin(args.path) as Record<string, unknown>;
      const functionNames = Object.keys(builtin).filter((key) => key !== 'default' && typeof builtin[key] === 'function');
      const lines = [`const builtin = require(${JSON.stringify(`node:${args.path}`)});`, 'export default builtin;'];
      functionNames.forEach((name, index) => {
        const key = JSON.stringify(name);
        // A pure call, so esbuild drops the exports nothing imports.
        lines.push(`const export${index} = /* @__PURE__ */ (() => builtin[${key}])();`, `export { export${index} as ${key} };`);
      });
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

// One CommonJS file with every dependency inside: Node's startup snapshot
// (scripts/build-launcher.mjs) can only be built from a single CommonJS script,
// and one file also saves resolving workspace packages at run time.
export default defineConfig({
  // The audit replay's worker thread entry, started from beside the bundle (@tau/audit-log finds it there).
  entry: { 'tau-po': 'src/main.ts', 'audit-range-worker': '../../packages/audit-log/src/audit-range-worker.ts' },
  format: ['cjs'],
  outExtension: () => ({ js: '.cjs' }),
  platform: 'node',
  target: 'node20',
  // Not cleaned: tau-po processes started during a rebuild keep a working
  // dist/ (the launcher step replaces its files by rename).
  clean: false,
  splitting: false,
  minify: true,
  // yargs' ESM shim reads import.meta.url; tsup's shim supplies it in CommonJS.
  shims: true,
  noExternal: [/.*/],
  // tsup's own `node:` handling would claim those imports before the plugin.
  removeNodeProtocol: false,
  esbuildPlugins: [builtinImportsOnce],
  define: { __TAU_PO_VERSION__: JSON.stringify(version) },
  esbuildOptions(options) {
    options.conditions = ['@tau/source'];
    // An import that can only be undefined is a bug; with builtinImportsOnce
    // it is also how a namespace import reads a built-in's non-function export.
    options.logOverride = { ...options.logOverride, 'import-is-undefined': 'error' };
  },
});
