/** Where a byte of a JSON text sits: the field path of the enclosing value and a 1-based line and column. */
export interface JsonLocation {
  path: (string | number)[];
  line: number;
  column: number;
}

interface ContainerFrame {
  isArray: boolean;
  index: number;
  key: string | undefined;
  expectingKey: boolean;
}

/**
 * Finds the field path of the value starting at `offset` in a text that is
 * already known to be valid JSON. Only runs on the error path, so clarity wins
 * over speed here.
 */
export function locateJsonOffset(text: string, offset: number): JsonLocation {
  const stack: ContainerFrame[] = [];
  let i = 0;
  while (i < offset) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      let end = i + 1;
      while (text.charCodeAt(end) !== 0x22) end += text.charCodeAt(end) === 0x5c /* \ */ ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top !== undefined && !top.isArray && top.expectingKey) {
        top.key = JSON.parse(text.slice(i, end + 1)) as string;
      }
      i = end + 1;
      continue;
    }
    const top = stack[stack.length - 1];
    if (ch === 0x7b /* { */ || ch === 0x5b /* [ */) {
      stack.push({ isArray: ch === 0x5b, index: 0, key: undefined, expectingKey: true });
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      stack.pop();
    } else if (ch === 0x2c /* , */ && top !== undefined) {
      if (top.isArray) top.index += 1;
      else top.expectingKey = true;
    } else if (ch === 0x3a /* : */ && top !== undefined) {
      top.expectingKey = false;
    }
    i += 1;
  }
  const path = stack.map((frame) => (frame.isArray ? frame.index : (frame.key ?? '')));
  return { path, ...lineAndColumnAt(text, offset) };
}

/** 1-based line and column (in UTF-16 units) of `offset` in `text`. */
export function lineAndColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let j = text.indexOf('\n'); j !== -1 && j < offset; j = text.indexOf('\n', j + 1)) {
    line += 1;
    lineStart = j + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
