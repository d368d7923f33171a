// A child process for crash and lock tests: performs the durable operations
// given as a JSON program in argv[2], in order, through the real package. The
// tests kill it (failpoints, or SIGKILL) and inspect what it left on disk.
import fs from 'node:fs';
import {
  acquireStateDirLock,
  appendLineDurably,
  ensureDirectory,
  replaceFileAtomically,
  truncateFileDurably,
} from '../index.js';

/** One step of a runner program. */
export type RunnerStep =
  | { op: 'replace'; path: string; data: string }
  | { op: 'replace-pieces'; path: string; pieces: string[] }
  | { op: 'append'; path: string; line: string }
  | { op: 'truncate'; path: string; length: number }
  | { op: 'mkdir'; dir: string }
  | { op: 'lock'; dir: string; command: string }
  | { op: 'release' }
  | { op: 'say'; text: string }
  | { op: 'sleep'; ms: number }
  | { op: 'wait-for-file'; path: string };

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function run(steps: RunnerStep[]): void {
  let lock: ReturnType<typeof acquireStateDirLock> | undefined;
  for (const step of steps) {
    switch (step.op) {
      case 'replace': replaceFileAtomically(step.path, step.data); break;
      case 'replace-pieces': replaceFileAtomically(step.path, step.pieces.values()); break;
      case 'append': appendLineDurably(step.path, step.line); break;
      case 'truncate': truncateFileDurably(step.path, step.length); break;
      case 'mkdir': ensureDirectory(step.dir); break;
      case 'lock': lock = acquireStateDirLock(step.dir, { command: step.command }); break;
      case 'release': lock?.release(); break;
      case 'say': process.stdout.write(`${step.text}\n`); break;
      case 'sleep': sleep(step.ms); break;
      case 'wait-for-file': while (!fs.existsSync(step.path)) sleep(5); break;
    }
  }
}

try {
  run(JSON.parse(process.argv[2] ?? '[]') as RunnerStep[]);
} catch (error) {
  const chain: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) chain.push(e.message);
  process.stderr.write(`${error instanceof Error ? error.name : 'Error'}: ${chain.join(': ')}\n`);
  process.exitCode = 1;
}
