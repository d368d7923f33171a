import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseByteSize } from './byte-size.js';
import { tauPoChildEnvironment } from './child-environment.js';
import { drillCases, DRILL_COMMANDS } from './drill-plan.js';
import { parseFailpointTrace } from './failpoint-trace.js';
import { median, parseGnuTimeOutput } from './process-measurement.js';
import { diffSnapshots, snapshotDirectory } from './state-dir-snapshot.js';
import { mapWithParallelism } from './task-pool.js';
import { binEntryOf } from './tau-po-binary.js';

describe('parseByteSize', () => {
  it('reads decimal and binary units', () => {
    expect(parseByteSize('300MB')).toBe(300_000_000);
    expect(parseByteSize('1GB')).toBe(1_000_000_000);
    expect(parseByteSize('64KiB')).toBe(65_536);
    expect(parseByteSize('1.5 mb')).toBe(1_500_000);
    expect(parseByteSize('4096')).toBe(4096);
  });
  it('rejects nonsense', () => {
    for (const bad of ['', 'MB', '10XB', '-1MB', '0']) expect(() => parseByteSize(bad)).toThrow(/size/);
  });
});

describe('parseFailpointTrace', () => {
  it('reads index, kind and path (paths may hold tabs)', () => {
    expect(parseFailpointTrace('1\twrite\t/s/a\n2\tfsync\t/s/a\tb\n')).toEqual([
      { index: 1, kind: 'write', path: '/s/a' },
      { index: 2, kind: 'fsync', path: '/s/a\tb' },
    ]);
  });
  it('rejects gaps and garbage', () => {
    expect(() => parseFailpointTrace('2\twrite\t/a\n')).toThrow(/out of order/);
    expect(() => parseFailpointTrace('one\twrite\t/a\n')).toThrow(/malformed/);
  });
});

describe('mapWithParallelism', () => {
  it('keeps input order and never exceeds the bound', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapWithParallelism([30, 5, 20, 1, 10], 2, async (delay, index) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, delay));
      running -= 1;
      return index;
    });
    expect(results).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });
});

describe('process measurement helpers', () => {
  it('parses GNU time output after the child stderr', () => {
    expect(parseGnuTimeOutput('Command exited with non-zero status 1\n0.05 41236\n')).toEqual({ seconds: 0.05, peakRssKb: 41236 });
    expect(parseGnuTimeOutput('garbage')).toBeUndefined();
  });
  it('takes medians', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('tauPoChildEnvironment', () => {
  it('drops control variables, failpoints and the CA bundle, keeps the rest', () => {
    const env = tauPoChildEnvironment(
      { PATH: '/bin', NODE_EXTRA_CA_CERTS: '/ca', TAU_PROMPT_OPTIMIZATION_CONTROL_JSON: 'true', TAU_PO_FAILPOINT: 'crash@1' },
      { TAU_PO_FAILPOINT: 'torn@2' },
    );
    expect(env).toEqual({ PATH: '/bin', TAU_PO_FAILPOINT: 'torn@2' });
  });
});

describe('binEntryOf', () => {
  it('reads an object or string bin', () => {
    expect(binEntryOf({ bin: { 'tau-po': './dist/tau-po' } })).toBe('./dist/tau-po');
    expect(binEntryOf({ bin: './dist/tau-po.js' })).toBe('./dist/tau-po.js');
    expect(binEntryOf({ bin: { other: 'x' } })).toBeUndefined();
  });
});

describe('drillCases', () => {
  it('covers every mutating command, and filters', () => {
    expect(new Set(drillCases().map((drillCase) => drillCase.command))).toEqual(new Set(DRILL_COMMANDS));
    expect(drillCases(['cancel']).every((drillCase) => drillCase.command === 'cancel')).toBe(true);
  });
});

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
    expect(diffSnapshots(before, snapshotDirectory(root))).toEqual({ added: ['new-dir'], removed: ['gone'], changed: ['a.json', 'link'] });
  });
});
