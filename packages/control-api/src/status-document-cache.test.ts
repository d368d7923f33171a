import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RACY_CHANGE_WINDOW_MS, StatusDocumentCache } from './status-document-cache.js';

let dir: string;
let files: string[];
let computed: number;

/** A compute that returns what the files hold now, counting its calls. */
function compute(): Promise<string> {
  computed += 1;
  return Promise.resolve(
    JSON.stringify(files.map((file) => (fs.existsSync(file) && fs.statSync(file).isFile() ? fs.readFileSync(file, 'utf8') : null))),
  );
}

const later = () => Date.now() + RACY_CHANGE_WINDOW_MS + 1_000;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'status-cache-'));
  files = ['control-state.json', 'control-audit.jsonl', 'policy.json'].map((name) => path.join(dir, name));
  for (const file of files) fs.writeFileSync(file, `${path.basename(file)} v1`);
  computed = 0;
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

// Every way a file a status document reads can change, applied to each input in turn.
const CHANGES: Array<[string, (file: string) => void]> = [
  ['rewritten in place, same size', (file) => fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('v1', 'v2'))],
  ['appended to', (file) => fs.appendFileSync(file, '\nmore')],
  [
    'replaced by rename',
    (file) => {
      fs.writeFileSync(`${file}.tmp`, 'replaced');
      fs.renameSync(`${file}.tmp`, file);
    },
  ],
  ['removed', (file) => fs.rmSync(file)],
  ['made read-only', (file) => fs.chmodSync(file, 0o400)],
];

describe('StatusDocumentCache', () => {
  it.each(CHANGES)('a file %s: the next document is computed afresh and is the new one', async (_name, change) => {
    for (const file of files) {
      const cache = new StatusDocumentCache({ paths: [dir, ...files] });
      const first = await cache.documentFor('p', compute, later());
      expect(await cache.documentFor('p', compute, later())).toBe(first);
      const before = computed;
      change(file);
      const next = await cache.documentFor('p', compute, later());
      expect(computed, `${file}`).toBe(before + 1);
      expect(next).toBe(await compute());
    }
  });

  it('a file created where there was none is a change', async () => {
    const extra = path.join(dir, 'recovery-report.json');
    const cache = new StatusDocumentCache({ paths: [dir, ...files, extra] });
    await cache.documentFor('p', compute, later());
    fs.writeFileSync(extra, '{}');
    const before = computed;
    await cache.documentFor('p', compute, later());
    expect(computed).toBe(before + 1);
  });

  it('keeps one document per principal', async () => {
    const cache = new StatusDocumentCache({ paths: files });
    await cache.documentFor('alice', () => Promise.resolve('for alice'), later());
    await cache.documentFor('bob', () => Promise.resolve('for bob'), later());
    expect(await cache.documentFor('alice', () => Promise.resolve('recomputed'), later())).toBe('for alice');
    expect(await cache.documentFor('bob', () => Promise.resolve('recomputed'), later())).toBe('for bob');
  });

  it('never keeps a document read from files changed within the racy window', async () => {
    const cache = new StatusDocumentCache({ paths: files });
    const now = Date.now();
    await cache.documentFor('p', compute, now);
    await cache.documentFor('p', compute, now);
    expect(computed).toBe(2);
  });

  it('keeps nothing when computing fails', async () => {
    const cache = new StatusDocumentCache({ paths: files });
    await expect(cache.documentFor('p', () => Promise.reject(new Error('busy')), later())).rejects.toThrow('busy');
    expect(await cache.documentFor('p', () => Promise.resolve('ok'), later())).toBe('ok');
  });

  it('an input that cannot be observed is never cached', async () => {
    const cache = new StatusDocumentCache({ paths: [path.join(files[0]!, 'under-a-file')] });
    await cache.documentFor('p', compute, later());
    await cache.documentFor('p', compute, later());
    expect(computed).toBe(2);
  });
});
