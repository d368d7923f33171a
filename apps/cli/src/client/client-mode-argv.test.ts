import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UsageError } from '@tau/recovery';
import { isClientModeInvocation } from '../client-mode-detection.js';
import { splitClientModeArgv } from './client-mode-argv.js';

const TOKEN_ENV = { TAU_PO_TOKEN: 'tpo_0123456789ab_secret' };

describe('isClientModeInvocation', () => {
  it.each([
    [['status', '--server', 'https://h'], {}, true],
    [['status', '--server=https://h'], {}, true],
    [['--', 'status', '--server', 'https://h'], {}, true],
    [['status'], { TAU_PO_SERVER: 'https://h' }, true],
    [['status'], { TAU_PO_SERVER: '' }, false],
    [['status'], {}, false],
    [['rollback', '--', '--server'], {}, false],
    [['status', '--servers', 'x'], {}, false],
  ])('%j with %j -> %s', (args, env, expected) => {
    expect(isClientModeInvocation(args, env)).toBe(expected);
  });
});

describe('splitClientModeArgv', () => {
  it('takes the client options out and keeps everything else in order', () => {
    const { options, rest } = splitClientModeArgv(
      ['resume', '--server', 'https://h:7433', '--dry-run', '--token-file=t', '--run', 'alpha', '--json', '--insecure-http'],
      {},
    );
    expect(rest).toEqual(['resume', '--dry-run', '--json']);
    expect(options).toEqual({ server: 'https://h:7433', token: { kind: 'file', path: 't' }, run: 'alpha', insecureHttp: true });
  });

  it('flags beat variables; the run defaults to default', () => {
    const env = { TAU_PO_SERVER: 'https://env', TAU_PO_TOKEN_FILE: 'env-file', TAU_PO_RUN: 'beta' };
    expect(splitClientModeArgv(['status'], env).options).toEqual({
      server: 'https://env',
      token: { kind: 'file', path: 'env-file' },
      run: 'beta',
      insecureHttp: false,
    });
    expect(splitClientModeArgv(['status', '--server', 'https://flag', '--token-file', 'f', '--run', 'r'], env).options).toMatchObject({
      server: 'https://flag',
      token: { kind: 'file', path: 'f' },
      run: 'r',
    });
    expect(splitClientModeArgv(['status', '--server', 'https://h'], TOKEN_ENV).options).toMatchObject({
      token: { kind: 'value', token: TOKEN_ENV.TAU_PO_TOKEN },
      run: 'default',
    });
  });

  it.each([
    ['--insecure-http', true],
    ['--insecure-http=true', true],
    ['--insecure-http=false', false],
    ['--no-insecure-http', false],
  ])('%s means insecure-http %s', (flag, expected) => {
    expect(splitClientModeArgv(['status', '--server', 'https://h', flag], TOKEN_ENV).options.insecureHttp).toBe(expected);
  });

  it.each(['--insecure-http=1', '--insecure-http=yes', '--insecure-http='])('%s is a usage error', (flag) => {
    expect(() => splitClientModeArgv(['status', '--server', 'https://h', flag], TOKEN_ENV)).toThrow(UsageError);
  });

  it('names TAU_PO_SERVER when it, not a flag, switched to client mode', () => {
    expect(() => splitClientModeArgv(['status', '--state-dir', 'd'], { ...TOKEN_ENV, TAU_PO_SERVER: 'https://h' })).toThrow(
      '--state-dir cannot be used with TAU_PO_SERVER (set in the environment)',
    );
  });

  it('leaves arguments after -- alone', () => {
    expect(splitClientModeArgv(['--server', 'https://h', 'rollback', '--', '--run'], TOKEN_ENV).rest).toEqual(['rollback', '--', '--run']);
  });

  it.each([
    [['status', '--server'], TOKEN_ENV, /--server needs a value/],
    [['status', '--server', '--json'], TOKEN_ENV, /--server needs a value/],
    [['status', '--server='], TOKEN_ENV, /--server needs a value/],
    [['status', '--server', 'a', '--server', 'b'], TOKEN_ENV, /given more than once/],
    [['status', '--server', 'https://h'], {}, /needs a token/],
    [['status', '--server', 'https://h'], { TAU_PO_TOKEN: 'x', TAU_PO_TOKEN_FILE: 'y' }, /both set/],
    [['status', '--server', 'https://h', '--run', '../x'], TOKEN_ENV, /invalid run name/],
    [['status', '--server', 'https://h', '--run', 'a/b'], TOKEN_ENV, /invalid run name/],
    [['status', '--server', 'https://h', '--state-dir', 'd'], TOKEN_ENV, /--state-dir cannot be used with --server/],
    [['status', '--server', 'https://h', '--rbac-policy=p'], TOKEN_ENV, /--rbac-policy cannot be used/],
    [['status', '--server', 'https://h', '--principal', 'p'], TOKEN_ENV, /--principal cannot be used/],
    [['--server', 'https://h', '--prompt-optimization-control-state-dir', 'd'], TOKEN_ENV, /--prompt-optimization-control-state-dir cannot/],
    [['--server', 'https://h', '--prompt-optimization-control-principal=p'], TOKEN_ENV, /--prompt-optimization-control-principal cannot/],
  ])('%j is a usage error', (args, env, message) => {
    expect(() => splitClientModeArgv(args, env)).toThrow(UsageError);
    expect(() => splitClientModeArgv(args, env)).toThrow(message);
  });

  it('never loses or reorders an argument that is not a client option (property)', () => {
    const plain = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
    fc.assert(
      fc.property(fc.array(plain, { maxLength: 8 }), fc.nat(8), (words, at) => {
        const index = Math.min(at, words.length);
        const args = [...words.slice(0, index), '--server', 'https://h', ...words.slice(index)];
        expect(splitClientModeArgv(args, TOKEN_ENV).rest).toEqual(words);
      }),
    );
  });
});
