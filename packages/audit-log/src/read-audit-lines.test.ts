import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLineParseError } from './audit-log-errors.js';
import { readAuditLines, type AuditLine } from './read-audit-lines.js';
import { replayAuditLog } from './replay-audit-log.js';
import { auditLogArb } from './test-support/audit-line-arbitraries.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-audit-read-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function drain(file: string): { lines: AuditLine[]; torn: unknown } {
  const generator = readAuditLines(file);
  const lines: AuditLine[] = [];
  for (let step = generator.next(); ; step = generator.next()) {
    if (step.done) return { lines, torn: step.value };
    lines.push(step.value);
  }
}

describe('readAuditLines', () => {
  it('yields rows with line numbers, byte offsets and bytes, skipping blank lines', () => {
    const file = path.join(dir, 'a.jsonl');
    fs.writeFileSync(file, '{"action":"pause","x":1}\r\n\n  \n{"action":"resume"}\n{"act');
    const { lines, torn } = drain(file);
    expect(lines.map(({ line, offset, bytes, row }) => ({ line, offset, text: bytes.toString(), row }))).toEqual([
      { line: 1, offset: 0, text: '{"action":"pause","x":1}', row: { action: 'pause', x: 1 } },
      { line: 4, offset: 30, text: '{"action":"resume"}', row: { action: 'resume' } },
    ]);
    expect(torn).toEqual({ line: 5, offset: 50, byte_length: 5 });
  });

  it('yields nothing for a missing log', () => {
    expect(drain(path.join(dir, 'missing.jsonl'))).toEqual({ lines: [], torn: null });
  });

  it('throws the line-numbered error after yielding the rows before it', () => {
    const file = path.join(dir, 'b.jsonl');
    fs.writeFileSync(file, '{"action":"pause"}\n42\n');
    const seen: number[] = [];
    expect(() => {
      for (const line of readAuditLines(file)) seen.push(line.line);
    }).toThrow(new AuditLineParseError(2, file, { cause: undefined }).message);
    expect(seen).toEqual([1]);
  });

  it('property: yields exactly the rows replay counts', () => {
    fc.assert(
      fc.property(auditLogArb, ({ bytes }) => {
        const file = path.join(dir, 'p.jsonl');
        fs.writeFileSync(file, bytes);
        let replayed: string[] | null | undefined;
        try {
          replayed = replayAuditLog(file).replayed_actions?.toJSON();
        } catch {
          replayed = undefined;
        }
        let read: string[] | undefined;
        try {
          read = drain(file).lines.map((line) => line.row.action);
        } catch {
          read = undefined;
        }
        expect(read).toEqual(replayed);
      }),
      { numRuns: 200 },
    );
  });
});
