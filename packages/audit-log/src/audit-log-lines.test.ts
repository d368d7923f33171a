import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLogLines, type AuditTornTail } from './audit-log-lines.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-audit-lines-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface SplitLine {
  line: number;
  offset: number;
  text: string;
}

function splitWithReader(bytes: Buffer, chunkBytes: number): { lines: SplitLine[]; torn: AuditTornTail | null } {
  const file = path.join(dir, 'log.jsonl');
  fs.writeFileSync(file, bytes);
  const fd = fs.openSync(file, 'r');
  try {
    const reader = new AuditLogLines(fd, chunkBytes);
    const lines: SplitLine[] = [];
    while (reader.next()) {
      lines.push({ line: reader.lineNumber, offset: reader.offset, text: reader.buf.toString('latin1', reader.start, reader.end) });
    }
    return { lines, torn: reader.tornTail };
  } finally {
    fs.closeSync(fd);
  }
}

/** The obvious whole-file split, as the oracle. */
function splitNaively(bytes: Buffer): { lines: SplitLine[]; torn: AuditTornTail | null } {
  const text = bytes.toString('latin1');
  const parts = text.split('\n');
  const tail = parts.pop() as string;
  let offset = 0;
  const lines = parts.map((part, index) => {
    const line = { line: index + 1, offset, text: part.endsWith('\r') ? part.slice(0, -1) : part };
    offset += part.length + 1;
    return line;
  });
  return { lines, torn: tail.length === 0 ? null : { line: parts.length + 1, offset, byte_length: tail.length } };
}

describe('AuditLogLines', () => {
  it('property: any chunk size splits exactly like a whole-file split (lines, offsets, CRLF, torn tail)', () => {
    const byteArb = fc.constantFrom(0x0a, 0x0d, 0x61, 0x20, 0x7b, 0xff);
    fc.assert(
      fc.property(fc.array(byteArb, { maxLength: 300 }), fc.integer({ min: 1, max: 64 }), (bytes, chunk) => {
        const buffer = Buffer.from(bytes);
        expect(splitWithReader(buffer, chunk)).toEqual(splitNaively(buffer));
      }),
      { numRuns: 500 },
    );
  });

  it('grows its buffer for a line longer than a chunk and keeps later lines intact', () => {
    const long = 'x'.repeat(10_000);
    const result = splitWithReader(Buffer.from(`a\n${long}\r\nb\n`), 16);
    expect(result.lines.map((l) => l.text.length)).toEqual([1, 10_000, 1]);
    expect(result.lines[2]).toEqual({ line: 3, offset: 10_004, text: 'b' });
    expect(result.torn).toBeNull();
  });

  it('reports a final line without newline, even a lone carriage return, as torn', () => {
    expect(splitWithReader(Buffer.from('a\n\r'), 4).torn).toEqual({ line: 2, offset: 2, byte_length: 1 });
    expect(splitWithReader(Buffer.from(''), 4)).toEqual({ lines: [], torn: null });
  });
});
