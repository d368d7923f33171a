/**
 * Joins the message of an error and of each error in its `cause` chain with
 * `: `, the way Tau prints errors (`failed to parse ... '<path>': field ...`).
 * Non-Error causes are stringified; cycles stop the walk.
 */
export function formatErrorChain(error: unknown): string {
  const messages: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    if (current instanceof Error) {
      if (current.message !== '') messages.push(current.message);
      current = current.cause;
    } else {
      messages.push(String(current));
      break;
    }
  }
  return messages.join(': ');
}
