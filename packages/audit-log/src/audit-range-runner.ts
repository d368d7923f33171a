// Shares the range scans of one replay between this thread and worker
// threads. The log is cut into many ranges and every thread claims the next
// unclaimed one from a shared counter, so work balances itself: a worker that
// starts late, or never (a process started from a V8 startup snapshot), just
// claims fewer, and this thread never waits for a range nobody took. Replay is
// a synchronous call (the control commands plan synchronously), so this
// thread waits for a worker's range in `Atomics.wait` and takes its summary
// with `receiveMessageOnPort`. No library does this without an async API on
// the calling side.
import type * as WorkerThreads from 'node:worker_threads';
import type { MessagePort, Worker } from 'node:worker_threads';
import type { AuditRangeInput, AuditRangeSummarizer, AuditRangeSummary } from './audit-range-summary.js';
import { builtFileBeside } from './built-file-beside.js';

/**
 * The built worker entry beside this module: this package's `dist/` holds
 * `audit-range-worker.js`, and the CLI's single-file bundle has
 * `audit-range-worker.cjs` beside it. Run from sources (tests) there is none,
 * and replay stays on one thread.
 */
function builtWorkerPath(): string | undefined {
  return builtFileBeside(['audit-range-worker.js', 'audit-range-worker.cjs']);
}

let workerPathCache: string | null | undefined;

/** The worker entry to start range scans with, or undefined when none is available (one thread, then). */
export function rangeWorkerPath(): string | undefined {
  if (workerPathCache === undefined) workerPathCache = builtWorkerPath() ?? null;
  return workerPathCache ?? undefined;
}

/**
 * `node:worker_threads`, loaded when a replay first starts workers: a module
 * loaded while a V8 startup snapshot is built (the CLI's) leaves workers
 * started after deserialization unable to boot (measured on Node 20: they
 * exit silently), so nothing here may load it at import time.
 */
function workerThreads(): typeof WorkerThreads {
  return process.getBuiltinModule('node:worker_threads');
}

/** A range's state in the shared array (slot 1 + its index; slot 0 is the next range to claim). */
export const RANGE_DONE = 1;

/** What a worker is given (plain data). */
export interface RangeWorkerData {
  inputs: AuditRangeInput[];
  /** Int32 slots: [0] the next range to claim, [1 + i] RANGE_DONE once range i's summary is posted. */
  shared: Int32Array;
  port: MessagePort;
}

/** What a worker posts for each range it scanned (null summary: it failed; the replay walks the range). */
export interface RangeWorkerMessage {
  index: number;
  summary: AuditRangeSummary | null;
}

/**
 * A worker claiming ranges can take this long over one before this thread
 * gives up and walks it itself (a range takes milliseconds; this only ends a
 * wait on a worker that died).
 */
const RANGE_WAIT_LIMIT_MS = 30_000;

/** The range scans of one replay: claimed in turn by this thread and by the workers. */
export class AuditRangeScans {
  /** Shared with the workers; undefined when there are none. */
  private readonly shared: Int32Array | undefined;
  /** The next range to claim when there is no shared counter. */
  private nextUnshared = 0;
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  /** Summaries posted by workers, by range index, until taken. */
  private readonly posted = new Map<number, AuditRangeSummary | null>();
  private closed = false;

  /** Starts `workerCount` workers from `workerPath` (none: this thread scans every range). */
  constructor(
    private readonly inputs: AuditRangeInput[],
    workerPath: string | undefined,
    workerCount: number,
  ) {
    // No SharedArrayBuffer or Atomics where a V8 startup snapshot is being built (the CLI's warm-up replays
    // a log): this thread scans every range then, counting them itself.
    const canShare = typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object';
    this.shared = workerPath !== undefined && workerCount > 0 && canShare ? new Int32Array(new SharedArrayBuffer(4 * (inputs.length + 1))) : undefined;
    if (workerPath === undefined || this.shared === undefined) return;
    const { MessageChannel, Worker } = workerThreads();
    for (let started = 0; started < workerCount; started += 1) {
      const { port1, port2 } = new MessageChannel();
      try {
        const workerData: RangeWorkerData = { inputs, shared: this.shared, port: port2 };
        // No flags of the parent's: a V8 flag there (`--max-old-space-size`) makes the constructor throw, and a
        // resolution condition (the tests' `@tau/source`) would send the built worker's imports to TypeScript sources.
        const worker = new Worker(workerPath, { execArgv: [], workerData, transferList: [port2] });
        // Never keeps the process alive; a failure shows as a range never done (this thread walks it).
        worker.unref();
        worker.on('error', () => undefined);
        this.workers.push(worker);
        this.ports.push(port1);
      } catch {
        port1.close();
        break;
      }
    }
  }

  /** Claims the next range nobody has taken, for this thread to scan; -1 when all are taken. */
  claim(): number {
    const index = this.shared === undefined ? this.nextUnshared++ : Atomics.add(this.shared, 0, 1);
    return index < this.inputs.length ? index : -1;
  }

  /** Whether a worker has posted range `index` (never blocks). */
  isPosted(index: number): boolean {
    return this.shared !== undefined && Atomics.load(this.shared, 1 + index) === RANGE_DONE;
  }

  /**
   * The summary a worker posted for range `index` (a range this thread did
   * not claim), waiting for it; null when the worker failed or never
   * finished (the caller walks the range itself).
   */
  takePosted(index: number): AuditRangeSummary | null {
    const shared = this.shared;
    if (shared === undefined) return null;
    const slot = 1 + index;
    const deadline = Date.now() + RANGE_WAIT_LIMIT_MS;
    while (Atomics.load(shared, slot) !== RANGE_DONE) {
      const left = deadline - Date.now();
      if (left <= 0) return null;
      Atomics.wait(shared, slot, 0, Math.min(left, 1000));
    }
    // Posted before it was marked done: the message is in its port's queue.
    const { receiveMessageOnPort } = workerThreads();
    for (const port of this.ports) {
      for (let message = receiveMessageOnPort(port); message !== undefined; message = receiveMessageOnPort(port)) {
        const { index: postedIndex, summary } = message.message as RangeWorkerMessage;
        this.posted.set(postedIndex, summary);
      }
    }
    const summary = this.posted.get(index) ?? null;
    this.posted.delete(index);
    return summary;
  }

  /** Stops the workers: no range is claimed any more, and running ones are dropped. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.shared !== undefined) Atomics.store(this.shared, 0, this.inputs.length);
    for (const port of this.ports) port.close();
    for (const worker of this.workers) void worker.terminate();
  }
}

/** Scans `input` with `summarizer`; null when it cannot (the caller walks the range, and meets the failure there). */
export function summarizeRangeOrNull(summarizer: AuditRangeSummarizer, input: AuditRangeInput): AuditRangeSummary | null {
  try {
    return summarizer.summarize(input);
  } catch {
    return null;
  }
}
