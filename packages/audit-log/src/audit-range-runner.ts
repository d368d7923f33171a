// Runs range scans off the main thread. Replay is a synchronous call (the
// control commands plan synchronously), so the main thread, once done with its
// own range, blocks in `Atomics.wait` until a worker has posted its summary,
// and takes it with `receiveMessageOnPort`. No library does this for a
// one-shot job without an async API on the calling side.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { summarizeAuditRange, type AuditRangeInput, type AuditRangeSummary } from './audit-range-summary.js';

/** A range scan under way. */
export interface PendingRangeScan {
  /** Blocks until the summary is there; null when the scan failed (the caller walks the range itself). */
  wait(): AuditRangeSummary | null;
  /** Stops the scan if it is still running (its summary is no longer wanted). */
  cancel(): void;
}

/**
 * The built worker entry beside this module, when there is one: this
 * package's `dist/` holds `audit-range-worker.js`, and the CLI's single-file
 * bundle has `audit-range-worker.cjs` beside it. Run from sources (tests)
 * there is none, and replay stays on one thread.
 */
function builtWorkerPath(): string | undefined {
  const moduleUrl: string | undefined = import.meta.url;
  if (typeof moduleUrl !== 'string' || !/\.c?js$/.test(moduleUrl)) return undefined;
  for (const name of ['./audit-range-worker.js', './audit-range-worker.cjs']) {
    try {
      const workerPath = fileURLToPath(new URL(name, moduleUrl));
      if (fs.statSync(workerPath).isFile()) return workerPath;
    } catch {
      // Not there (or not a file URL): try the next name.
    }
  }
  return undefined;
}

let workerPathCache: string | null | undefined;

/** The worker entry to start range scans with, or undefined when none is available (one thread, then). */
export function rangeWorkerPath(): string | undefined {
  // A process started from a V8 startup snapshot (the CLI's launcher) gets no worker thread running
  // while this thread blocks (measured: the bootstrap never runs, the wait times out); such a replay stays on one thread.
  if (workerPathCache === undefined) workerPathCache = process.execArgv.includes('--snapshot-blob') ? null : (builtWorkerPath() ?? null);
  return workerPathCache ?? undefined;
}

/**
 * The worker's first code: tells the main thread it runs (signal 1), then
 * loads the entry; a load failure still ends the wait (null summary, signal 2).
 */
const WORKER_BOOTSTRAP = `
const threads = require('node:worker_threads');
const { signal, port, entry } = threads.workerData;
Atomics.store(signal, 0, 1);
Atomics.notify(signal, 0);
const failed = () => {
  port.postMessage(null);
  Atomics.store(signal, 0, 2);
  Atomics.notify(signal, 0);
};
try {
  if (entry.endsWith('.cjs')) require(entry);
  else import(require('node:url').pathToFileURL(entry).href).catch(failed);
} catch {
  failed();
}
`;

/**
 * The parent's Node flags minus resolution conditions: the worker runs built
 * JavaScript, and a condition such as the tests' `@tau/source` would resolve
 * its imports to TypeScript sources it cannot load.
 */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < execArgv.length; index += 1) {
    const arg = execArgv[index] as string;
    if (arg === '--conditions' || arg === '-C') {
      index += 1;
      continue;
    }
    if (arg.startsWith('--conditions=') || arg.startsWith('-C=')) continue;
    kept.push(arg);
  }
  return kept;
}

/** How long a worker may take to start before this thread walks its range itself. */
const WORKER_START_TIMEOUT_MS = 5000;

/** Starts scanning `input` in a worker thread from `workerPath`. */
export function startRangeScanInWorker(workerPath: string, input: AuditRangeInput): PendingRangeScan {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  let worker: Worker | undefined;
  try {
    worker = new Worker(WORKER_BOOTSTRAP, {
      eval: true,
      execArgv: workerExecArgv(process.execArgv),
      workerData: { input, signal, port: port2, entry: workerPath },
      transferList: [port2],
    });
    // Never keeps the process alive; errors surface as a null summary.
    worker.unref();
    worker.on('error', () => undefined);
  } catch {
    port1.close();
    return { wait: () => null, cancel: () => undefined };
  }
  const started = worker;
  let done = false;
  const stop = () => {
    done = true;
    port1.close();
    void started.terminate();
  };
  return {
    wait() {
      // Signal 1: the thread runs; 2: it has posted (or failed to). A thread that never starts is given up on.
      const deadline = Date.now() + WORKER_START_TIMEOUT_MS;
      while (Atomics.load(signal, 0) === 0) {
        const left = deadline - Date.now();
        if (left <= 0) {
          stop();
          return null;
        }
        Atomics.wait(signal, 0, 0, left);
      }
      while (Atomics.load(signal, 0) === 1) Atomics.wait(signal, 0, 1, 1000);
      const message = receiveMessageOnPort(port1);
      stop();
      return (message?.message as AuditRangeSummary | null | undefined) ?? null;
    },
    cancel() {
      if (!done) stop();
    },
  };
}

/** Scans `input` on this thread, when asked (tests; and where no worker is available). */
export function rangeScanInProcess(input: AuditRangeInput): PendingRangeScan {
  return {
    wait() {
      try {
        return summarizeAuditRange(input);
      } catch {
        return null;
      }
    },
    cancel: () => undefined,
  };
}
