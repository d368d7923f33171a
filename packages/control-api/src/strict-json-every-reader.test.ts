// Issue class: "JSON is read strictly, everywhere we read it". One table over
// every reader of JSON this server (and the CLI, through the same packages)
// runs: Tau's own fixture files with one key given twice, at the top level and
// in a nested object, spelled plainly and with an escape (`row\u005fcount`).
// Each reader refuses the file naming the key and the file; the lock record,
// which is judged rather than reported, counts as no record at all.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditLines } from '@tau/audit-log';
import { loadCheckpoint } from '@tau/checkpoint-store';
import { loadRbacPolicy } from '@tau/rbac';
import {
  formatErrorChain,
  parseAuditHeadFile,
  readAuditHeadFile,
  readControlState,
  readRecoveryReport,
  readTrainingStatus,
  serializeAuditHeadFile,
} from '@tau/schemas';
import { readServerConfigFile } from './server-config.js';
import { readTokenStore } from './token-store.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../schemas/src/fixtures');
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strict-json-readers-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

const HEAD_FILE = serializeAuditHeadFile(
  parseAuditHeadFile(
    JSON.stringify({ schema_version: 1, row_count: 1, last_row_offset: 0, end_offset: 10, last_row_sha256: null, accepted: [] }),
    'head',
  ),
);

interface Reader {
  name: string;
  text: string;
  /** The object to repeat a key in: `null` is the root, otherwise the key whose object value gets the repeat. */
  parents: Array<{ parent: string | null; key: string }>;
  read: (file: string) => unknown;
}

const READERS: Reader[] = [
  {
    name: 'control state',
    text: fixture('control-state.extended.json'),
    parents: [{ parent: null, key: 'lifecycle_state' }, { parent: 'audit_head', key: 'row_count' }],
    read: readControlState,
  },
  {
    name: 'training status',
    text: fixture('status.rl-optimizer.tau.json'),
    parents: [{ parent: null, key: 'run_state' }, { parent: 'rl_optimizer', key: 'early_stop_triggered' }],
    read: readTrainingStatus,
  },
  { name: 'recovery report', text: fixture('recovery-report.tau.json'), parents: [{ parent: null, key: 'crash_detected' }], read: readRecoveryReport },
  { name: 'audit head file', text: HEAD_FILE, parents: [{ parent: null, key: 'row_count' }], read: readAuditHeadFile },
  {
    name: 'rbac policy',
    text: fixture('rbac.tau.json'),
    parents: [{ parent: null, key: 'team_mode' }, { parent: 'roles', key: '' }],
    read: (file) => loadRbacPolicy(file),
  },
  { name: 'checkpoint', text: fixture('policy-checkpoint.tau.json'), parents: [{ parent: null, key: 'run_id' }], read: (file) => loadCheckpoint(file) },
  {
    name: 'audit row',
    text: `${fixture('control-audit.tau.jsonl').split('\n')[0]!}\n`,
    parents: [{ parent: null, key: 'lifecycle_state' }],
    read: (file) => [...readAuditLines(file)],
  },
  {
    name: 'token store',
    text: JSON.stringify({ schema_version: 1, tokens: [] }),
    parents: [{ parent: null, key: 'schema_version' }],
    read: readTokenStore,
  },
  {
    name: 'server config',
    text: JSON.stringify({ runs: [{ name: 'a', state_dir: '/tmp/a', rbac_policy: '/tmp/a.json' }] }),
    parents: [{ parent: 'runs', key: 'state_dir' }],
    read: readServerConfigFile,
  },
];

/** `text` with `key` (or, when empty, the parent object's first key) given a second time first in the chosen object. */
function withRepeatedKey(text: string, parent: string | null, key: string, escaped: boolean): { text: string; key: string } {
  const value = JSON.parse(text) as Record<string, unknown>;
  let target = parent === null ? value : value[parent];
  let at: number;
  if (parent === null) {
    at = text.indexOf('{') + 1;
  } else {
    // The parent's own object (or its array's first object), not another key of the same name.
    const opening = new RegExp(`"${parent}"\\s*:\\s*\\[?\\s*\\{`).exec(text);
    if (opening === null) throw new Error(`no object under ${parent}`);
    at = opening.index + opening[0].length;
  }
  if (Array.isArray(target)) target = target[0];
  const object = target as Record<string, unknown>;
  const repeated = key === '' ? Object.keys(object)[0]! : key;
  const spelled = escaped ? JSON.stringify(repeated).replace(/_|a/, (c) => `\\u00${c.charCodeAt(0).toString(16)}`) : JSON.stringify(repeated);
  return { text: `${text.slice(0, at)}${spelled}: ${JSON.stringify(object[repeated])}, ${text.slice(at)}`, key: repeated };
}

describe('every JSON reader refuses a key given twice in one object, naming the key and the file', () => {
  const cases = READERS.flatMap((reader) =>
    reader.parents.flatMap(({ parent, key }) => [false, true].map((escaped) => ({ reader, parent, key, escaped }))),
  );
  it.each(cases)('$reader.name: repeated in $parent (escaped: $escaped)', async ({ reader, parent, key, escaped }) => {
    const file = path.join(dir, `${reader.name.replace(/ /g, '-')}-${parent ?? 'root'}-${escaped}.json`);
    // The untouched file is read fine: the refusal below is the repeat's doing.
    fs.writeFileSync(file, reader.text);
    await reader.read(file);
    const repeated = withRepeatedKey(reader.text, parent, key, escaped);
    expect(repeated.text).not.toBe(reader.text);
    fs.writeFileSync(file, repeated.text);
    let chain: string | undefined;
    try {
      await reader.read(file);
    } catch (error) {
      chain = formatErrorChain(error);
    }
    expect(chain, `${reader.name} accepted ${repeated.text}`).toBeDefined();
    expect(chain).toContain(file);
    expect(chain).toMatch(new RegExp(`(duplicate|repeated|twice)[^:]*${JSON.stringify(repeated.key).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}|${repeated.key.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}`));
  });

  it('lock record: a repeated key makes it no record (judged, never trusted as alive)', async () => {
    const { parseLockRecord } = await import('../../durable-fs/src/lock-record.js');
    const record = { pid: 4242, host: 'h', since_unix_ms: 1, command: 'resume', token: 't' };
    const text = JSON.stringify(record);
    expect(parseLockRecord(text)).toEqual(record);
    for (const key of Object.keys(record)) {
      const value = JSON.stringify(record[key as keyof typeof record]);
      expect(parseLockRecord(`{"${key}": ${value}, ${text.slice(1)}`)).toBeUndefined();
      expect(parseLockRecord(`{"${key.replace(/[a-z]/, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)}": ${value}, ${text.slice(1)}`)).toBeUndefined();
    }
  });
});
