import type { WriteTargetObservation } from '@tau/durable-fs';
import { describe, expect, it } from 'vitest';
import { stateDirPaths } from './state-dir-paths.js';
import {
  findUnwritableStateFiles,
  planAuditRepairWrites,
  planControlCommandWrites,
  type ObservedStateFileWrite,
} from './state-file-writes.js';

const paths = stateDirPaths('s');

describe('planControlCommandWrites', () => {
  it('lists the files each action writes, in commit order', () => {
    expect(planControlCommandWrites('status', paths)).toEqual([]);
    expect(planControlCommandWrites('resume', paths)).toEqual([
      { path: 's/recovery-report.pending.json', method: 'replace' },
      { path: 's/recovery-report.json', method: 'replace' },
      { path: 's/control-audit.jsonl', method: 'in_place' },
      { path: 's/control-state.json', method: 'replace' },
      { path: 's/control-audit.head.json', method: 'replace' },
    ]);
    for (const action of ['pause', 'cancel', 'rollback'] as const) {
      expect(planControlCommandWrites(action, paths)).toEqual([
        { path: 's/control-audit.jsonl', method: 'in_place' },
        { path: 's/control-state.json', method: 'replace' },
        { path: 's/control-audit.head.json', method: 'replace' },
      ]);
    }
    expect(planAuditRepairWrites(paths)).toEqual([{ path: 's/control-audit.jsonl', method: 'in_place' }]);
  });
});

function observed(
  path: string,
  method: ObservedStateFileWrite['method'],
  observation: WriteTargetObservation,
  permitted = true,
): ObservedStateFileWrite {
  return { path, method, observation, permitted };
}

describe('findUnwritableStateFiles', () => {
  it('accepts nothing there, a regular file, and a link to a regular file', () => {
    expect(
      findUnwritableStateFiles([
        observed('a', 'replace', { entry: 'absent' }),
        observed('b', 'in_place', { entry: 'file' }),
        observed('c', 'replace', { entry: 'symlink', link: { text: '../real.json', resolves_to: 'file' } }),
      ]),
    ).toEqual([]);
  });

  it('lists every file a write cannot land on, in plan order, with what is there', () => {
    expect(
      findUnwritableStateFiles([
        observed('s/recovery-report.json', 'replace', { entry: 'directory' }),
        observed('s/control-audit.jsonl', 'in_place', { entry: 'file' }),
        observed('s/control-state.json', 'replace', { entry: 'symlink', link: { text: '/nowhere', resolves_to: 'absent' } }),
      ]),
    ).toEqual([
      { path: 's/recovery-report.json', problem: 'it is a directory, not a regular file' },
      { path: 's/control-state.json', problem: "it is a symbolic link to '/nowhere', which does not exist" },
    ]);
  });

  it('refuses an existing file our permissions cannot write; a missing one needs only the directory', () => {
    expect(
      findUnwritableStateFiles([
        observed('log', 'in_place', { entry: 'file' }, false),
        observed('state', 'replace', { entry: 'symlink', link: { text: '/ro/state.json', resolves_to: 'file' } }, false),
        observed('report', 'replace', { entry: 'absent' }, false),
      ]),
    ).toEqual([
      { path: 'log', problem: 'it is not writable (permission denied)' },
      { path: 'state', problem: 'the directory it would be replaced in is not writable (permission denied)' },
    ]);
  });
});
