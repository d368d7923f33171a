// Finds a key repeated within one JSON object. JSON.parse keeps the last of
// two equal keys silently; Tau's serde structs reject them, and a repeated
// key must never change a decision, so every strict reader refuses them.
// Hand-written: no JSON library reports duplicates without a second parse.

/** A key that appears twice in one object, with the offset of its second occurrence. */
export interface DuplicateJsonKey {
  key: string;
  offset: number;
}

/**
 * The first key that repeats within one object of `text`, which must already
 * be valid JSON. Keys are compared after decoding escapes, so `team\u005fmode`
 * and `team_mode` are the same key. A `Set` per open object, so `__proto__`
 * and every other string is an ordinary key.
 */
export function findDuplicateJsonKey(text: string): DuplicateJsonKey | undefined {
  // One entry per open container: a Set of keys seen for objects, null for arrays.
  const stack: (Set<string> | null)[] = [];
  const length = text.length;
  let i = 0;
  while (i < length) {
    const code = text.charCodeAt(i);
    if (code === 0x22 /* " */) {
      const start = i;
      let end = i + 1;
      let escaped = false;
      for (;;) {
        const c = text.charCodeAt(end);
        if (c === 0x22) break;
        if (c === 0x5c /* \ */) {
          escaped = true;
          end += 2;
        } else {
          end += 1;
        }
      }
      i = end + 1;
      const top = stack[stack.length - 1];
      if (top === undefined || top === null) continue;
      // A string in an object is a key when a colon follows it.
      let next = i;
      while (next < length && isJsonWhitespace(text.charCodeAt(next))) next += 1;
      if (text.charCodeAt(next) !== 0x3a /* : */) continue;
      const key = escaped ? (JSON.parse(text.slice(start, end + 1)) as string) : text.slice(start + 1, end);
      if (top.has(key)) return { key, offset: start };
      top.add(key);
    } else {
      if (code === 0x7b /* { */) stack.push(new Set());
      else if (code === 0x5b /* [ */) stack.push(null);
      else if (code === 0x7d /* } */ || code === 0x5d /* ] */) stack.pop();
      i += 1;
    }
  }
  return undefined;
}

function isJsonWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}
