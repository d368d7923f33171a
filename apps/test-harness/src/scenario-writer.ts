import { closeSync, existsSync, mkdirSync, openSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { planScenario, SCENARIO_POLICY_FILE, SCENARIO_STATE_SUBDIR, type PlannedContent, type ScenarioName, type ScenarioSizeOptions } from './scenario-catalog.js';

/** Where a written scenario lives. */
export interface WrittenScenario {
  readonly name: ScenarioName;
  readonly root: string;
  /** `<root>/state`: pass as `--state-dir`. */
  readonly stateDir: string;
  /** `<root>/rbac.json`: pass as `--rbac-policy` (absent for `missing-policy`). */
  readonly policyPath: string;
}

/** The scenario directory already holds something; refusing keeps us from mixing two scenarios. */
export class ScenarioDirectoryNotEmptyError extends Error {
  override name = 'ScenarioDirectoryNotEmptyError';
}

const WRITE_BATCH_BYTES = 8 << 20;

function writePlannedContent(path: string, content: PlannedContent): void {
  if (typeof content === 'string') {
    writeFileSync(path, content);
    return;
  }
  // Big files: batch chunks into ~8 MB writes; never hold the file in memory.
  const fd = openSync(path, 'w');
  try {
    let pending: string[] = [];
    let pendingBytes = 0;
    for (const chunk of content()) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= WRITE_BATCH_BYTES) {
        writeSync(fd, pending.join(''));
        pending = [];
        pendingBytes = 0;
      }
    }
    if (pending.length > 0) writeSync(fd, pending.join(''));
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes scenario `name` under `root`: the state dir `<root>/state` and the
 * policy `<root>/rbac.json`. `root` may exist but must be empty.
 */
export function writeScenario(name: ScenarioName, root: string, sizes: ScenarioSizeOptions = {}): WrittenScenario {
  const absoluteRoot = resolve(root);
  if (existsSync(absoluteRoot) && readdirSync(absoluteRoot).length > 0) {
    throw new ScenarioDirectoryNotEmptyError(`scenario directory '${absoluteRoot}' is not empty`);
  }
  const stateDir = join(absoluteRoot, SCENARIO_STATE_SUBDIR);
  mkdirSync(stateDir, { recursive: true });
  for (const file of planScenario(name, sizes)) {
    const path = join(absoluteRoot, file.relativePath);
    mkdirSync(dirname(path), { recursive: true });
    writePlannedContent(path, file.content);
  }
  return { name, root: absoluteRoot, stateDir, policyPath: join(absoluteRoot, SCENARIO_POLICY_FILE) };
}
