// `pnpm bench`: writing the recovery report of a resume after a long run (1M
// replayed actions, ~14 MB): the actions as a compact list that gives its
// codes (as `@tau/audit-log`'s action list does), as a sequence that only
// iterates, and as a plain array.
import { bench, describe } from 'vitest';
import { serializeRecoveryReportChunks, type RecoveryReportToWrite, type ReplayedActionSequence } from '../src/index.js';
import { longRunRecoveryReport } from './long-run-recovery-report.js';

const COUNT = 1_000_000;
const codes = Uint8Array.from({ length: COUNT }, (_, index) => [0, 1, 2, 1, 3, 1][index % 6] as number);
const table = ['pause', 'resume', 'cancel', 'rollback'];
const array = Array.from(codes, (code) => table[code] as string);

const coded: ReplayedActionSequence = {
  length: COUNT,
  [Symbol.iterator]: () => array[Symbol.iterator](),
  toCodes: () => ({ table, chunks: [codes.subarray(0, COUNT / 2), codes.subarray(COUNT / 2)] }),
};
const iterated: ReplayedActionSequence = { length: COUNT, [Symbol.iterator]: () => array[Symbol.iterator]() };

function write(report: RecoveryReportToWrite): number {
  let length = 0;
  for (const piece of serializeRecoveryReportChunks(report)) length += piece.length;
  return length;
}

describe('recovery report with 1M replayed actions, in 64 Ki pieces', () => {
  bench('actions as codes (toCodes)', () => {
    write(longRunRecoveryReport(coded));
  });
  bench('actions as a sequence that only iterates', () => {
    write(longRunRecoveryReport(iterated));
  });
  bench('actions as an array', () => {
    write(longRunRecoveryReport(array));
  });
});
