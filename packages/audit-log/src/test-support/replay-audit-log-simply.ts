// The simple path, as an oracle for property tests: the whole file in memory,
// split on `\n`, each line through JSON.parse (`parseAuditRow`), folded by the
// same rules. Nothing here is shared with the fast path's line splitting or
// scanning, so agreement between the two means something.
import fs from 'node:fs';
import { AuditLineParseError } from '../audit-log-errors.js';
import { AuditReplayFold, type AuditMutatingRow, type AuditReplay } from '../audit-replay-fold.js';
import { auditRowFieldsOf } from '../audit-row-fields.js';
import { parseAuditRow } from '../audit-row-parse.js';
import { rowSha256Hex } from '../row-hash.js';

const WHITE_SPACE_ONLY = /^\p{White_Space}*$/u;

export function replayAuditLogSimply(filePath: string): AuditReplay {
  const bytes = fs.existsSync(filePath) ? fs.readFileSync(filePath) : Buffer.alloc(0);
  const fold = new AuditReplayFold();
  let lastRow: Buffer | null = null;
  let lastMutating: AuditMutatingRow | null = null;
  let start = 0;
  let line = 0;
  for (let newline = bytes.indexOf(0x0a); newline >= 0; newline = bytes.indexOf(0x0a, start)) {
    line += 1;
    let content = bytes.subarray(start, newline);
    if (content.at(-1) === 0x0d) content = content.subarray(0, -1);
    const offset = start;
    start = newline + 1;
    if (WHITE_SPACE_ONLY.test(content.toString('utf8'))) continue;
    let row;
    try {
      row = parseAuditRow(content);
    } catch (cause) {
      throw new AuditLineParseError(line, filePath, { cause });
    }
    if (fold.addRow(line, auditRowFieldsOf(row))) lastMutating = { line, offset, row };
    lastRow = content;
  }
  const tornLength = bytes.length - start;
  return fold.finish({
    torn_tail: tornLength === 0 ? null : { line: line + 1, offset: start, byte_length: tornLength },
    last_row_sha256: lastRow === null ? null : rowSha256Hex(lastRow),
    last_mutating_row: lastMutating,
  });
}
