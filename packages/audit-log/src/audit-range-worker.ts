// Worker thread entry (started by `AuditRangeScans`): claims ranges of the log
// from the shared counter until none is left, scans each and posts its
// summary (null when it failed: the replay then walks that range itself and
// meets the failure there, worded as always), then marks it done, which
// wakes the replaying thread if it waits for that range.
import workerThreads from 'node:worker_threads';
import { RANGE_DONE, summarizeRangeOrNull, type RangeWorkerData } from './audit-range-runner.js';
import { AuditRangeSummarizer } from './audit-range-summary.js';

// Read off the module (a value, not a function: the CLI bundle keeps only functions as named imports).
const { inputs, shared, port } = workerThreads.workerData as RangeWorkerData;
const summarizer = new AuditRangeSummarizer();
try {
  for (let index = Atomics.add(shared, 0, 1); index < inputs.length; index = Atomics.add(shared, 0, 1)) {
    port.postMessage({ index, summary: summarizeRangeOrNull(summarizer, inputs[index] as (typeof inputs)[number]) });
    Atomics.store(shared, 1 + index, RANGE_DONE);
    Atomics.notify(shared, 1 + index);
  }
} finally {
  port.close();
}
