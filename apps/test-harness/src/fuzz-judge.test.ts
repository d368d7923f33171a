import { describe, expect, it } from 'vitest';
import { judgeFuzzRun } from './fuzz.js';
import type { FuzzCase } from './fuzz-mutations.js';

const CASE: FuzzCase = { id: 3, artifact: 'state/status.json', kind: 'truncate', parameters: { position: 0.3, bit: 0, pick: 0 } };
const end = (exitCode: number | null, stderr = '', stdout = '') => ({ exitCode, signal: exitCode === null ? 'SIGABRT' : null, stdout, stderr });

describe('judgeFuzzRun', () => {
  it('accepts a one-line failure that names the file and changed nothing', () => {
    expect(judgeFuzzRun(CASE, 'pause', end(1, "failed to parse training status file '/x/state/status.json': invalid JSON\n"), [])).toEqual([]);
  });

  it('accepts a success that changed files, for a mutating command', () => {
    expect(judgeFuzzRun(CASE, 'resume', end(0), ['state/control-state.json'])).toEqual([]);
  });

  it('rejects changes by a read-only command even when it succeeded', () => {
    expect(judgeFuzzRun(CASE, 'status', end(0), ['state/control-state.json']).map((v) => v.check)).toEqual(['unchanged-unless-succeeded']);
  });

  it('rejects changes by a failed command', () => {
    expect(judgeFuzzRun(CASE, 'pause', end(1, 'status.json broken'), ['state/.tau-po.lock']).map((v) => v.check)).toEqual(['unchanged-unless-succeeded']);
  });

  it('rejects undocumented exits, signals and usage errors', () => {
    expect(judgeFuzzRun(CASE, 'pause', end(2, 'status.json: usage'), []).map((v) => v.check)).toEqual(['exit-code']);
    expect(judgeFuzzRun(CASE, 'pause', end(null, 'status.json'), []).map((v) => v.check)).toEqual(['exit-code']);
  });

  it('rejects stack traces and multi-line errors', () => {
    const trace = 'TypeError: x is undefined (status.json)\n    at readStatus (file:///a/b.js:10:5)\n    at main (file:///a/b.js:20:3)\n';
    expect(judgeFuzzRun(CASE, 'pause', end(1, trace), []).map((v) => v.check)).toEqual(['no-stack-trace', 'one-line-error']);
  });

  it('rejects a failure that does not name the file', () => {
    expect(judgeFuzzRun(CASE, 'doctor', end(1, 'something went wrong'), []).map((v) => v.check)).toEqual(['names-file']);
    expect(judgeFuzzRun(CASE, 'doctor', end(1, '', 'status.json: run_state missing\nother finding\n'), [])).toEqual([]);
  });

  it("accepts Tau's bare RBAC validation chain (it names no file) for the policy only", () => {
    const policyCase: FuzzCase = { ...CASE, artifact: 'rbac.json' };
    const tauChain = "failed to authorize prompt-optimization lifecycle control action 'pause': unsupported rbac schema version 2 (expected 1)";
    expect(judgeFuzzRun(policyCase, 'pause', end(1, tauChain), [])).toEqual([]);
    expect(judgeFuzzRun(CASE, 'pause', end(1, tauChain), []).map((v) => v.check)).toEqual(['names-file']);
    expect(judgeFuzzRun(policyCase, 'pause', end(1, "failed to authorize prompt-optimization lifecycle control action 'pause': boom"), []).map((v) => v.check)).toEqual(['names-file']);
  });
});
