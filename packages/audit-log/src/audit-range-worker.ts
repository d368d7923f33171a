// Worker thread entry (loaded by the bootstrap in `audit-range-runner.ts`,
// which has already said the thread started): scans the one range it is
// given and posts its summary (or null when it failed: the main thread then
// walks the range itself and meets the failure there, worded as always),
// then wakes the main thread, which waits synchronously (replay is a
// synchronous call).
import workerThreads, { type MessagePort } from 'node:worker_threads';
import { summarizeAuditRange, type AuditRangeInput } from './audit-range-summary.js';

// Read off the module (a value, not a function: the CLI bundle keeps only functions as named imports).
const { input, signal, port } = workerThreads.workerData as { input: AuditRangeInput; signal: Int32Array; port: MessagePort };
try {
  port.postMessage(summarizeAuditRange(input));
} catch {
  port.postMessage(null);
} finally {
  Atomics.store(signal, 0, 2);
  Atomics.notify(signal, 0);
  port.close();
}
