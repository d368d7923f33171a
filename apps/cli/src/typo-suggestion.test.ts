import { describe, expect, it } from 'vitest';
import { commandWords, optionNames } from './command-line-vocabulary.js';
import { closestWord, editDistance, withTypoSuggestion } from './typo-suggestion.js';

/** Every one-edit typo of `word`: a letter dropped, two neighbours swapped, a letter replaced by a neighbouring key. */
function oneEditTypos(word: string): string[] {
  const typos = new Set<string>();
  for (let i = 0; i < word.length; i += 1) {
    typos.add(word.slice(0, i) + word.slice(i + 1));
    if (i + 1 < word.length) typos.add(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
    typos.add(word.slice(0, i) + (word[i] === 'x' ? 'z' : 'x') + word.slice(i + 1));
  }
  typos.delete(word);
  return [...typos];
}

describe('editDistance', () => {
  it.each([
    ['resume', 'resume', 0],
    ['resum', 'resume', 1],
    ['reusme', 'resume', 1],
    ['rseume', 'resume', 1],
    ['stat-dir', 'state-dir', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ])('%j -> %j is %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
    expect(editDistance(b, a)).toBe(expected);
  });
});

describe('typo suggestions, for every command and option (the whole vocabulary)', () => {
  const commands = commandWords();
  const options = optionNames();

  it('every one-edit typo of a command word suggests a word at the least distance, and the word itself when it is the only one', () => {
    for (const word of commands.filter((candidate) => candidate.length >= 4)) {
      for (const typo of oneEditTypos(word).filter((candidate) => !commands.includes(candidate))) {
        const message = withTypoSuggestion(`Unknown argument: ${typo}`, [typo]);
        const least = Math.min(...commands.map((candidate) => editDistance(typo, candidate)));
        const nearest = commands.filter((candidate) => editDistance(typo, candidate) === least);
        expect(message, typo).toMatch(/ \(did you mean '[a-z-]+'\?\)$/);
        const suggested = /did you mean '([a-z-]+)'/.exec(message)![1]!;
        expect(nearest, `${typo} -> ${suggested}`).toContain(suggested);
        if (nearest.length === 1) expect(suggested, typo).toBe(word);
      }
    }
  });

  it('every one-edit typo of an option suggests an option (with dashes) at the least distance', () => {
    for (const name of options.filter((candidate) => candidate.length >= 4)) {
      for (const typo of oneEditTypos(name).filter((candidate) => !options.includes(candidate))) {
        const message = withTypoSuggestion(`Unknown argument: ${typo}`, ['status', `--${typo}`, 'x']);
        const least = Math.min(...options.map((candidate) => editDistance(typo, candidate)));
        const nearest = options.filter((candidate) => editDistance(typo, candidate) === least);
        const suggested = /did you mean '--([a-z-<>|]+)'/.exec(message)?.[1];
        expect(suggested, `${typo}: ${message}`).toBeDefined();
        expect(nearest, `${typo} -> ${suggested}`).toContain(suggested);
      }
    }
  });

  it.each([
    ['Unknown argument: resum', ['resum'], "Unknown argument: resum (did you mean 'resume'?)"],
    ['Unknown argument: verfy', ['audit', 'verfy'], "Unknown argument: verfy (did you mean 'verify'?)"],
    ['Unknown argument: stat-dir', ['status', '--stat-dir', 'd'], "Unknown argument: stat-dir (did you mean '--state-dir'?)"],
    ['Unknown argument: jsno', ['status', '--jsno'], "Unknown argument: jsno (did you mean '--json'?)"],
    ['Unknown argument: dry', ['resume', '--dry'], "Unknown argument: dry (did you mean '--dry-run'?)"],
    ['Unknown arguments: zzz, pasue', ['zzz', 'pasue'], "Unknown arguments: zzz, pasue (did you mean 'pause'?)"],
  ])('%s', (message, args, expected) => {
    expect(withTypoSuggestion(message, args)).toBe(expected);
  });

  it('suggests nothing for a word far from every name, and leaves other messages alone', () => {
    expect(withTypoSuggestion('Unknown argument: kubernetes', ['kubernetes'])).toBe('Unknown argument: kubernetes');
    expect(closestWord('x', commands)).toBeUndefined();
    expect(withTypoSuggestion('Not enough arguments following: state-dir', [])).toBe('Not enough arguments following: state-dir');
  });
});
