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
 * The built worker entry beside this module, when there is one: `dist/`
 * holds `audit-range-worker.js`; run from sources (tests) or bundled into
 * the CLI's single file there is none, and replay stays on one thread.
 */
function builtWorkerPath(): string | undefined {
  const moduleUrl: string | undefined = import.meta.url;
  if (typeof moduleUrl !== 'string' || !moduleUrl.endsWith('.js')) return undefined;
  try {
    const workerPath = fileURLToPath(new URL('./audit-range-worker.js', moduleUrl));
    return fs.statSync(workerPath).isFile() ? workerPath : undefined;
  } catch {
    return undefined;
  }
}

let workerPathCache: string | null | undefined;

/** The worker entry to start range scans with, or undefined when none is available (one thread, then). */
export function rangeWorkerPath(): string | undefined {
  if (workerPathCache === undefined) workerPathCache = builtWorkerPath() ?? null;
  return workerPathCache ?? undefined;
}

/** Starts scanning `input` in a worker thread from `workerPath`. */
export function startRangeScanInWorker(workerPath: string, input: AuditRangeInput): PendingRangeScan {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  let worker: Worker | undefined;
  try {
    worker = new Worker(workerPath, { workerData: { input, signal, port: port2 }, transferList: [port2] });
    // Never keeps the process alive; errors surface as a null summary.
    worker.unref();
    worker.on('error', () => undefined);
  } catch {
    port1.close();
    return { wait: () => null, cancel: () => undefined };
  }
  const started = worker;
  let done = false;
  return {
    wait() {
      // The worker stores 1 and notifies once it has posted (or failed to).
      while (Atomics.load(signal, 0) === 0) Atomics.wait(signal, 0, 0, 1000);
      const message = receiveMessageOnPort(port1);
      done = true;
      port1.close();
      void started.terminate();
      return (message?.message as AuditRangeSummary | null | undefined) ?? null;
    },
    cancel() {
      if (done) return;
      done = true;
      port1.close();
      void started.terminate();
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
