import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';

/** How to start the CLI: `command` then `prefixArgs` then the tau-po arguments. */
export interface TauPoBinary {
  /** The bin path as apps/cli/package.json names it, absolute. */
  readonly path: string;
  readonly command: string;
  readonly prefixArgs: readonly string[];
}

/** The CLI bin cannot be found or is not built. */
export class TauPoBinaryNotFoundError extends Error {
  override name = 'TauPoBinaryNotFoundError';
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where the `@tau/cli` package lives, found the way node finds the harness's dependency. */
function cliPackageJsonPath(): string {
  const require = createRequire(import.meta.url);
  return require.resolve('@tau/cli/package.json');
}

/** The `tau-po` entry of a package.json `bin` field (a string bin counts too). */
export function binEntryOf(packageJson: unknown): string | undefined {
  if (typeof packageJson !== 'object' || packageJson === null) return undefined;
  const bin = (packageJson as { bin?: unknown }).bin;
  if (typeof bin === 'string') return bin;
  if (typeof bin === 'object' && bin !== null) {
    const entry = (bin as Record<string, unknown>)['tau-po'];
    return typeof entry === 'string' ? entry : undefined;
  }
  return undefined;
}

/**
 * Resolves the CLI to run, at run time, from `TAU_PO_BIN` or else apps/cli's
 * package.json `bin` (the CLI may ship a `.js` bundle or an sh wrapper around
 * a snapshot, so we never guess the file name). An executable bin runs as
 * itself; a non-executable `.js` runs under this node.
 */
export function resolveTauPoBinary(env: NodeJS.ProcessEnv = process.env): TauPoBinary {
  let path: string;
  const override = env.TAU_PO_BIN;
  if (override !== undefined && override !== '') {
    path = resolve(override);
  } else {
    const packageJsonPath = cliPackageJsonPath();
    const entry = binEntryOf(JSON.parse(readFileSync(packageJsonPath, 'utf8')));
    if (entry === undefined) throw new TauPoBinaryNotFoundError(`'${packageJsonPath}' has no tau-po bin entry`);
    path = resolve(dirname(packageJsonPath), entry);
  }
  if (!existsSync(path)) {
    throw new TauPoBinaryNotFoundError(`tau-po is not built: '${path}' does not exist (run \`pnpm build\`)`);
  }
  if (isExecutable(path)) return { path, command: path, prefixArgs: [] };
  if (/\.[cm]?js$/.test(path)) return { path, command: process.execPath, prefixArgs: [path] };
  throw new TauPoBinaryNotFoundError(`'${path}' is not executable`);
}
