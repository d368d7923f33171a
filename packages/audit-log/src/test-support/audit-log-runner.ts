// Child process of the crash drills: runs one audit-log operation through the
// real package, so a failpoint (TAU_PO_FAILPOINT) can kill it mid-way.
// argv: `append <log> <row-json> <head-json>` or `repair <log>`.
import { formatErrorChain } from '@tau/schemas';
import { appendAuditRow, repairTornTail } from '../index.js';

const [operation, logPath, rowJson, headJson] = process.argv.slice(2);
try {
  if (operation === 'append' && logPath && rowJson && headJson) {
    process.stdout.write(JSON.stringify(appendAuditRow(logPath, JSON.parse(rowJson), JSON.parse(headJson))));
  } else if (operation === 'repair' && logPath) {
    process.stdout.write(JSON.stringify(repairTornTail(logPath)));
  } else {
    throw new Error(`usage: append <log> <row-json> <head-json> | repair <log> (got ${process.argv.slice(2).join(' ')})`);
  }
} catch (error) {
  process.stderr.write(`${formatErrorChain(error)}\n`);
  process.exitCode = 1;
}
