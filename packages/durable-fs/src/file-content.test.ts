import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8PiecesOf } from './file-content.js';

function bytesOf(content: Parameters<typeof utf8PiecesOf>[0]): Buffer {
  return Buffer.concat([...utf8PiecesOf(content)]);
}

/** `text` cut at the given code-unit positions (which may fall inside a surrogate pair). */
function cut(text: string, positions: number[]): string[] {
  const sorted = [...new Set(positions.map((position) => position % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let start = 0;
  for (const position of sorted) {
    pieces.push(text.slice(start, position));
    start = position;
  }
  pieces.push(text.slice(start));
  return pieces;
}

describe('utf8PiecesOf', () => {
  it('encodes a single string or passes single bytes through', () => {
    expect(bytesOf('é😀')).toEqual(Buffer.from('é😀', 'utf8'));
    const bytes = new Uint8Array([1, 2, 3]);
    expect([...utf8PiecesOf(bytes)]).toEqual([bytes]);
  });

  it('gives the UTF-8 of the joined text wherever the pieces were cut, surrogate pairs included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.array(fc.nat(), { maxLength: 8 }), (text, positions) => {
        const pieces = cut(text, positions);
        expect(bytesOf(pieces)).toEqual(Buffer.from(text, 'utf8'));
      }),
      { numRuns: 500 },
    );
    // A pair cut in two by hand: not two replacement characters.
    expect(bytesOf(['a\ud83d', '\ude00b'])).toEqual(Buffer.from('a😀b', 'utf8'));
  });

  it('mixes byte pieces in order; a half pair before bytes or at the end is encoded on its own, as Buffer.from would', () => {
    expect(bytesOf(['x\ud83d', new Uint8Array([0x41]), '', 'y'])).toEqual(
      Buffer.concat([Buffer.from('x\ud83d', 'utf8'), Buffer.from([0x41]), Buffer.from('y')]),
    );
    expect(bytesOf(['z\ud83d'])).toEqual(Buffer.from('z\ud83d', 'utf8'));
  });

  it('skips empty pieces and gives nothing for nothing', () => {
    expect([...utf8PiecesOf(['', new Uint8Array(0), ''])]).toEqual([]);
    expect([...utf8PiecesOf([])]).toEqual([]);
  });

  it('pulls a piece only when the one before has been taken', () => {
    const pulled: number[] = [];
    function* pieces(): Generator<string> {
      for (let index = 0; index < 3; index += 1) {
        pulled.push(index);
        yield `piece ${index}`;
      }
    }
    const iterator = utf8PiecesOf(pieces());
    iterator.next();
    expect(pulled).toEqual([0]);
    iterator.next();
    expect(pulled).toEqual([0, 1]);
  });
});
