// Files a build puts beside the built modules (this package's dist/, or the
// CLI bundle's directory): the range worker entry, the native row hasher. Run
// from sources (the tests), a module is a `.ts` file and there are none.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The first of `names` that is a regular file beside the built module; undefined when none is, or when run from sources. */
export function builtFileBeside(names: readonly string[]): string | undefined {
  const moduleUrl: string | undefined = import.meta.url;
  if (typeof moduleUrl !== 'string' || !/\.c?js$/.test(moduleUrl)) return undefined;
  for (const name of names) {
    try {
      const file = fileURLToPath(new URL(`./${name}`, moduleUrl));
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // Not there (or not a file URL): try the next name.
    }
  }
  return undefined;
}
