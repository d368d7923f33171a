// Audit paging at 1M rows (issue 15): the one-time index build, then pages
// after and before arbitrary rows. Run: pnpm --filter @tau/control-api bench
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { AuditRowIndex } from '../audit-row-index.js';

const ROWS = 1_000_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-audit-page-bench-'));
const logPath = path.join(dir, 'control-audit.jsonl');

function writeLog(): void {
  const fd = fs.openSync(logPath, 'w');
  const rows: string[] = [];
  for (let n = 1; n <= ROWS; n += 1) {
    rows.push(
      `{"schema_version":1,"timestamp_unix_ms":${1_700_000_000_000 + n},"principal":"ci:operator","action":"${n % 2 === 0 ? 'pause' : 'resume'}","action_key":"control:rl:${n % 2 === 0 ? 'pause' : 'resume'}","lifecycle_state":"${n % 2 === 0 ? 'paused' : 'running'}","idempotent":false,"rollback_checkpoint":null,"recovery_checkpoint_source":null}\n`,
    );
    if (rows.length === 10_000) {
      fs.writeSync(fd, rows.join(''));
      rows.length = 0;
    }
  }
  fs.writeSync(fd, rows.join(''));
  fs.closeSync(fd);
}

writeLog();
const index = new AuditRowIndex(logPath);
const started = performance.now();
index.refresh();
const buildMs = performance.now() - started;
console.log(
  `audit index: ${index.totalRows} rows, ${(fs.statSync(logPath).size / 1e6).toFixed(0)} MB, built once in ${buildMs.toFixed(0)} ms, heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`,
);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe(`audit page of 100 rows in a ${ROWS}-row log (index built)`, () => {
  let position = 0;
  bench('after=N (N walks the log)', () => {
    position = (position + 104_729) % ROWS;
    index.page({ after: position, limit: 100 });
  });
  bench('before=N (N walks the log)', () => {
    position = (position + 104_729) % ROWS;
    index.page({ before: position + 1, limit: 100 });
  });
  bench('newest first', () => {
    index.page({ before: Number.MAX_SAFE_INTEGER, limit: 100 });
  });
  bench('newest first, limit 1000', () => {
    index.page({ before: Number.MAX_SAFE_INTEGER, limit: 1000 });
  });
});
