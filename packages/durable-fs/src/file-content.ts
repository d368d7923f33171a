/** What a file is written from: one string or byte array, or an iterable of pieces (strings and byte arrays). */
export type FileContent = string | Uint8Array | Iterable<string | Uint8Array>;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * The bytes of `content`, piece by piece, pulled lazily: strings as UTF-8,
 * byte arrays as they are, empty pieces skipped. A string piece that ends in
 * the first half of a surrogate pair keeps that half back and encodes it with
 * the next string piece, so the bytes are those of the consecutive string
 * pieces joined, wherever a producer cut them.
 */
export function* utf8PiecesOf(content: FileContent): Generator<Uint8Array, void, undefined> {
  if (typeof content === 'string' || content instanceof Uint8Array) {
    yield typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    return;
  }
  let heldBack = '';
  for (const piece of content) {
    if (typeof piece === 'string') {
      let text = heldBack + piece;
      heldBack = '';
      if (text.length > 0 && isHighSurrogate(text.charCodeAt(text.length - 1))) {
        heldBack = text.slice(-1);
        text = text.slice(0, -1);
      }
      if (text.length > 0) yield Buffer.from(text, 'utf8');
    } else {
      if (heldBack !== '') yield Buffer.from(heldBack, 'utf8');
      heldBack = '';
      if (piece.length > 0) yield piece;
    }
  }
  if (heldBack !== '') yield Buffer.from(heldBack, 'utf8');
}
