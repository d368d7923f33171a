import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffSnapshots, snapshotDirectory } from './state-dir-snapshot.js';

describe('snapshotDirectory / diffSnapshots', () => {
  it('sees content changes, type changes, symlink retargets, additions and removals', () => {
    const root = mkdtempSync(join(tmpdir(), 'harness-snapshot-'));
    writeFileSync(join(root, 'a.json'), '{}');
    writeFileSync(join(root, 'b.json'), '{}');
    writeFileSync(join(root, 'gone'), 'x');
    symlinkSync('/nowhere', join(root, 'link'));
    const before = snapshotDirectory(root);
    writeFileSync(join(root, 'a.json'), '{ }');
    writeFileSync(join(root, 'b.json'), '{}');
    rmSync(join(root, 'gone'));
    rmSync(join(root, 'link'));
    symlinkSync('/elsewhere', join(root, 'link'));
    mkdirSync(join(root, 'new-dir'));
    const after = snapshotDirectory(root);
    rmSync(root, { recursive: true, force: true });
    expect(diffSnapshots(before, after)).toEqual({ added: ['new-dir'], removed: ['gone'], changed: ['a.json', 'link'] });
  });
});
