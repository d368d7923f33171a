// Crash tests through real child processes: TAU_PO_FAILPOINT kills the child
// with SIGKILL at every durable operation, and what it leaves must always be
// the old or the new state.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeStaleTempFiles } from './stale-temp-files.js';
import { runChild } from './test-support/run-child.js';
import type { RunnerStep } from './test-support/durable-fs-runner.js';

let dir: string;
let tracePath: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-failpoint-'));
  tracePath = path.join(os.tmpdir(), `tau-failpoint-trace-${process.pid}-${Date.now()}`);
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(tracePath, { force: true });
});

function readTrace(): Array<{ index: number; kind: string; path: string }> {
  if (!fs.existsSync(tracePath)) return [];
  return fs.readFileSync(tracePath, 'utf8').trim().split('\n').filter(Boolean).map((line) => {
    const [index, kind, target] = line.split('\t');
    return { index: Number(index), kind: kind as string, path: target as string };
  });
}

describe('TAU_PO_FAILPOINT_TRACE', () => {
  it('lists every durable operation with its index, kind and path', () => {
    const state = path.join(dir, 'state.json');
    const log = path.join(dir, 'audit.jsonl');
    const steps: RunnerStep[] = [
      { op: 'replace', path: state, data: 'v1' },
      { op: 'append', path: log, line: 'row 1' },
      { op: 'append', path: log, line: 'row 2' },
      { op: 'truncate', path: log, length: 6 },
      { op: 'mkdir', dir: path.join(dir, 'a', 'b') },
    ];
    const outcome = runChild('durable-fs', [JSON.stringify(steps)], { TAU_PO_FAILPOINT_TRACE: tracePath });
    expect(outcome.stderr).toBe('');
    expect(outcome.status).toBe(0);
    const trace = readTrace();
    expect(trace.map((op) => op.index)).toEqual(trace.map((_, i) => i + 1));
    expect(trace.map((op) => `${op.kind} ${path.relative(dir, op.path) || '.'}`)).toEqual([
      `write ${path.relative(dir, trace[0]?.path ?? '')}`,
      `fsync ${path.relative(dir, trace[0]?.path ?? '')}`,
      'rename state.json',
      'fsync .',
      'append audit.jsonl',
      'fsync audit.jsonl',
      'fsync .',
      'append audit.jsonl',
      'fsync audit.jsonl',
      'truncate audit.jsonl',
      'fsync audit.jsonl',
      'fsync .',
      'fsync a',
    ]);
    expect(path.basename(trace[0]?.path ?? '')).toMatch(/^\.state\.json\.tmp-\d+-[0-9a-f]+$/);
  });

  it('counts a replace written in pieces as one write, like a single value: 4 operations', () => {
    const state = path.join(dir, 'state.json');
    const steps: RunnerStep[] = [{ op: 'replace-pieces', path: state, pieces: ['a'.repeat(100), 'b'.repeat(100), 'c'] }];
    const outcome = runChild('durable-fs', [JSON.stringify(steps)], { TAU_PO_FAILPOINT_TRACE: tracePath });
    expect(outcome.status).toBe(0);
    expect(readTrace().map((op) => op.kind)).toEqual(['write', 'fsync', 'rename', 'fsync']);
    expect(fs.readFileSync(state, 'utf8')).toBe(`${'a'.repeat(100)}${'b'.repeat(100)}c`);
  });

  it('writes no trace when the variables are unset', () => {
    const outcome = runChild('durable-fs', [JSON.stringify([{ op: 'replace', path: path.join(dir, 'f'), data: 'x' }])]);
    expect(outcome.status).toBe(0);
    expect(fs.existsSync(tracePath)).toBe(false);
  });
});

describe('TAU_PO_FAILPOINT', () => {
  it('rejects a malformed value loudly instead of running without a failpoint', () => {
    const state = path.join(dir, 'state.json');
    fs.writeFileSync(state, 'old');
    const outcome = runChild('durable-fs', [JSON.stringify([{ op: 'replace', path: state, data: 'new' }])], {
      TAU_PO_FAILPOINT: 'crash@zero',
    });
    expect(outcome.status).toBe(1);
    expect(outcome.stderr).toContain('invalid TAU_PO_FAILPOINT "crash@zero"');
    expect(fs.readFileSync(state, 'utf8')).toBe('old');
  });

  it('runs to completion when N is past the last operation', () => {
    const state = path.join(dir, 'state.json');
    const outcome = runChild('durable-fs', [JSON.stringify([{ op: 'replace', path: state, data: 'new' }])], {
      TAU_PO_FAILPOINT: 'crash@5',
    });
    expect(outcome.status).toBe(0);
    expect(fs.readFileSync(state, 'utf8')).toBe('new');
  });

  it('torn on a write in pieces writes every piece but the last, then half the last, and never touches the target', () => {
    const state = path.join(dir, 'state.json');
    fs.writeFileSync(state, 'old');
    const pieces = ['first piece|', '', 'second piece|', 'last piece with é'];
    const steps: RunnerStep[] = [{ op: 'replace-pieces', path: state, pieces }];
    const outcome = runChild('durable-fs', [JSON.stringify(steps)], { TAU_PO_FAILPOINT: 'torn@1' });
    expect(outcome.signal).toBe('SIGKILL');
    expect(fs.readFileSync(state, 'utf8')).toBe('old');
    const temp = fs.readdirSync(dir).filter((name) => name !== 'state.json');
    expect(temp).toHaveLength(1);
    const last = Buffer.from('last piece with é', 'utf8');
    expect(fs.readFileSync(path.join(dir, temp[0] as string))).toEqual(
      Buffer.concat([Buffer.from('first piece|second piece|'), last.subarray(0, Math.floor(last.length / 2))]),
    );
    expect(removeStaleTempFiles(dir)).toHaveLength(1);
  });

  it('crash on a write in pieces dies before the first byte', () => {
    const state = path.join(dir, 'state.json');
    fs.writeFileSync(state, 'old');
    const steps: RunnerStep[] = [{ op: 'replace-pieces', path: state, pieces: ['one', 'two'] }];
    expect(runChild('durable-fs', [JSON.stringify(steps)], { TAU_PO_FAILPOINT: 'crash@1' }).signal).toBe('SIGKILL');
    const temp = fs.readdirSync(dir).filter((name) => name !== 'state.json');
    expect(temp.map((name) => fs.statSync(path.join(dir, name)).size)).toEqual([0]);
    expect(fs.readFileSync(state, 'utf8')).toBe('old');
  });

  it.each(['crash', 'torn'] as const)('%s at every operation leaves the old or the new state, never a mix', (mode) => {
    const state = path.join(dir, 'state.json');
    const log = path.join(dir, 'audit.jsonl');
    const oldState = JSON.stringify({ version: 'old', padding: 'o'.repeat(300) });
    const newState = JSON.stringify({ version: 'new', padding: 'n'.repeat(500) });
    const row = JSON.stringify({ action: 'pause', padding: 'r'.repeat(101) });
    const steps: RunnerStep[] = [
      { op: 'replace', path: state, data: newState },
      { op: 'append', path: log, line: row },
    ];
    const reset = (): void => {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir);
      fs.writeFileSync(state, oldState);
      fs.writeFileSync(log, 'row 0\n');
      fs.rmSync(tracePath, { force: true });
    };

    reset();
    expect(runChild('durable-fs', [JSON.stringify(steps)], { TAU_PO_FAILPOINT_TRACE: tracePath }).status).toBe(0);
    const operations = readTrace();
    expect(operations.map((op) => op.kind)).toEqual(['write', 'fsync', 'rename', 'fsync', 'append', 'fsync']);

    for (const [index, operation] of operations.entries()) {
      const n = index + 1;
      reset();
      const outcome = runChild('durable-fs', [JSON.stringify(steps)], {
        TAU_PO_FAILPOINT: `${mode}@${n}`,
        TAU_PO_FAILPOINT_TRACE: tracePath,
      });
      expect(outcome.signal, `${mode}@${n}`).toBe('SIGKILL');
      expect(readTrace()).toHaveLength(n);

      const stateNow = fs.readFileSync(state, 'utf8');
      expect([oldState, newState], `${mode}@${n} state`).toContain(stateNow);
      expect(stateNow === newState, `${mode}@${n} renamed`).toBe(n > 3);

      const logNow = fs.readFileSync(log, 'utf8');
      const tornAppend = mode === 'torn' && operation.kind === 'append';
      const expectedLog = n <= 5
        ? `row 0\n${tornAppend ? `${row}\n`.slice(0, Math.floor((row.length + 1) / 2)) : ''}`
        : `row 0\n${row}\n`;
      expect(logNow, `${mode}@${n} log`).toBe(expectedLog);

      // A temp file may be left behind; it belongs to a dead writer and goes.
      removeStaleTempFiles(dir);
      expect(fs.readdirSync(dir).sort(), `${mode}@${n} leftovers`).toEqual(['audit.jsonl', 'state.json']);
    }
  });
});
