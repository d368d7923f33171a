import { readFileSync } from 'node:fs';

/** Absolute path of a fixture under src/fixtures. */
export function fixturePath(name: string): string {
  return new URL(`./fixtures/${name}`, import.meta.url).pathname;
}

/** A fixture's exact text (fixtures are Tau-written bytes, UTF-8). */
export function readFixture(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}
