// Sums every package's vitest JSON report into the closing line CI reads.
// A package with a `test` script but no report counts as one failure: its
// suite did not run to the end, and that must not read as green.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(group)) {
    const dir = join(group, name);
    const manifestPath = join(dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (!manifest.scripts?.test) continue;
    const reportPath = join(dir, 'test-results', 'vitest.json');
    if (!existsSync(reportPath)) {
      console.log(`${manifest.name}: no test report (suite did not complete)`);
      failed += 1;
      continue;
    }
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    const p = report.numPassedTests ?? 0;
    const f = (report.numFailedTests ?? 0) + (report.success === false && !report.numFailedTests ? 1 : 0);
    const s = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    console.log(`${manifest.name}: ${p} passed, ${f} failed, ${s} skipped`);
    passed += p;
    failed += f;
    skipped += s;
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
