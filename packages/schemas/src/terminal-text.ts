// Text printed for an operator comes from files and flags anyone may have
// written: a newline would forge a second result line, an escape sequence
// could clear the screen, a bidirectional override could reorder what is
// shown. One function makes such characters visible, used by every text
// renderer (JSON output needs none: JSON escapes them itself).

// C0, DEL, C1, the line/paragraph separators and the bidirectional embeddings,
// overrides and isolates (U+202A-U+202E, U+2066-U+2069). Backslash is escaped
// too, so the escaping is injective: `\n` typed literally and a newline differ.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\\]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };

/**
 * `text` with every terminal-unsafe character shown as a visible escape:
 * `\n`, `\r`, `\t`, `\\`, otherwise `\u{1b}` (hexadecimal code point). Text
 * without such characters is returned unchanged. Pure.
 */
export function escapeTerminalText(text: string): string {
  return text.replace(UNSAFE, (char) => NAMED[char] ?? `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`);
}
