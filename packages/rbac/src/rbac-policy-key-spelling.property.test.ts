// Property: however the keys of a policy file are spelled (escapes), ordered or
// repeated, loading it gives the canonical file's decisions or is refused;
// never a more permissive answer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRbacPolicy } from './rbac-policy-loading.js';

const CANONICAL = {
  schema_version: 1,
  team_mode: true,
  bindings: [
    { principal: 'local:alice', roles: ['operator'] },
    { principal: 'local:bob', roles: ['viewer'] },
  ],
  roles: {
    operator: { allow: ['control:rl:*'], deny: ['control:rl:rollback'] },
    viewer: { allow: ['control:rl:status'] },
  },
};
const PRINCIPALS = ['local:alice', 'local:bob', 'local:eve', ''];
const ACTIONS = ['control:rl:status', 'control:rl:pause', 'control:rl:rollback'];

type Node = null | boolean | number | string | Node[] | { [key: string]: Node };

/** Writes `value` as JSON with each object's members reordered, some keys escaped and some members repeated. */
function spell(value: Node, random: () => number): string {
  if (Array.isArray(value)) return `[${value.map((item) => spell(item, random)).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const members = Object.entries(value).map(([key, item]) => ({ key, item }));
  if (random() < 0.15 && members.length > 0) {
    // A repeat: same key (maybe with another value) later in the object.
    const repeated = members[Math.floor(random() * members.length)] as { key: string; item: Node };
    const other: Node = random() < 0.5 ? repeated.item : random() < 0.5 ? false : ['*'];
    members.push({ key: repeated.key, item: other });
  }
  members.sort(() => random() - 0.5);
  return `{${members.map(({ key, item }) => `${escapeKey(key, random)}:${spell(item, random)}`).join(',')}}`;
}

function escapeKey(key: string, random: () => number): string {
  let out = '"';
  for (const char of key) {
    out += random() < 0.3 ? `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}` : char;
  }
  return `${out}"`;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-rbac-spelling-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function decisionsOf(text: string, name: string): Promise<string[] | 'refused'> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  let authorizer;
  try {
    authorizer = await loadRbacPolicy(file);
  } catch {
    return 'refused';
  }
  return PRINCIPALS.flatMap((p) => ACTIONS.map((a) => JSON.stringify(authorizer.decideSync(p, a))));
}

describe('rbac policy key spelling', () => {
  it('property: respelled, reordered or repeated keys give the canonical decisions or are refused', async () => {
    const canonical = await decisionsOf(JSON.stringify(CANONICAL), 'canonical.json');
    expect(canonical).not.toBe('refused');
    let refused = 0;
    let same = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer(), async (seed) => {
        let state = seed >>> 0 || 1;
        const random = (): number => {
          state ^= state << 13; state >>>= 0; state ^= state >>> 17; state ^= state << 5; state >>>= 0;
          return state / 2 ** 32;
        };
        const text = spell(CANONICAL as unknown as Node, random);
        const result = await decisionsOf(text, 'variant.json');
        if (result === 'refused') {
          refused += 1;
          return;
        }
        same += 1;
        expect(result).toEqual(canonical);
      }),
      { numRuns: 200 },
    );
    // Both branches must be walked, or the property proves nothing.
    expect(refused).toBeGreaterThan(10);
    expect(same).toBeGreaterThan(10);
  });

  it('names the repeated key and the file', async () => {
    const file = path.join(dir, 'dup.json');
    fs.writeFileSync(file, '{"schema_version":1,"team_mode":true,"team\\u005fmode":false,"bindings":[],"roles":{}}');
    await expect(loadRbacPolicy(file)).rejects.toThrow(`failed to parse rbac policy file ${file}`);
    const chain = await loadRbacPolicy(file).catch((error: unknown) => {
      const parts: string[] = [];
      for (let e = error; e instanceof Error; e = e.cause) parts.push(e.message);
      return parts.join(': ');
    });
    expect(chain).toMatch(/duplicate key "team_mode"/);
  });
});
