// "Did you mean ...?" for an unknown command or option, as pnpm, git and
// cargo do. Pure: the parser's message and argv in, the message out.
import { commandWords, optionNames } from './command-line-vocabulary.js';

/** Edits (insert, delete, substitute, swap two neighbours) between two words: optimal string alignment distance. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate closest to `word`, if close enough to be a typo: at most one
 * edit for words up to 5 characters, two up to 11, three beyond, and never
 * the whole word. A candidate that starts with the word (an abbreviation,
 * `--dry` for `--dry-run`) also counts, when it is the only one.
 */
export function closestWord(word: string, candidates: readonly string[]): string | undefined {
  if (word.length === 0) return undefined;
  const limit = Math.min(word.length - 1, word.length <= 5 ? 1 : word.length <= 11 ? 2 : 3);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best !== undefined && bestDistance <= limit && bestDistance > 0) return best;
  const prefixed = candidates.filter((candidate) => word.length >= 3 && candidate.startsWith(word));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** Whether `name` (as the parser reports it, without dashes) was given as an option in argv. */
function givenAsOption(name: string, args: readonly string[]): boolean {
  return args.some((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`) || arg === `-${name}`);
}

const UNKNOWN = /^Unknown arguments?: (.+)$/;

/**
 * The parser's "Unknown argument: resum" with a suggestion added:
 * "Unknown argument: resum (did you mean 'resume'?)", for the first unknown
 * word that is close to a command (when given as a word) or an option (when
 * given as `--name`). Any other message is returned as it is.
 */
export function withTypoSuggestion(message: string, args: readonly string[]): string {
  const match = UNKNOWN.exec(message);
  if (match === null) return message;
  for (const word of match[1]!.split(', ')) {
    if (givenAsOption(word, args)) {
      const option = closestWord(word, optionNames());
      if (option !== undefined) return `${message} (did you mean '--${option}'?)`;
    } else {
      const command = closestWord(word, commandWords());
      if (command !== undefined) return `${message} (did you mean '${command}'?)`;
    }
  }
  return message;
}
