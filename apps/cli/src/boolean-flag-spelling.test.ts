import { UsageError } from '@tau/recovery';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOOLEAN_FLAGS, normalizeBooleanFlags } from './boolean-flag-spelling.js';

const TRUE_SPELLINGS = (name: string) => [`--${name}`, `--${name}=true`];
const FALSE_SPELLINGS = (name: string) => [`--${name}=false`, `--no-${name}`];
const REFUSED_SPELLINGS = (name: string) =>
  ['1', '0', 'yes', 'no', 'on', 'off', 'TRUE', 'False', '', ' true', 'true ', 'y'].flatMap((value) => [
    `--${name}=${value}`,
    `--no-${name}=${value}`,
  ]).concat([`--no-${name}=true`, `--no-${name}=false`]);

function refusal(args: string[]): unknown {
  try {
    normalizeBooleanFlags(args, {});
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('normalizeBooleanFlags: every boolean flag, every spelling', () => {
  for (const { name, envName, envOnly } of BOOLEAN_FLAGS) {
    it.each(TRUE_SPELLINGS(name))(`%s means true`, (spelling) => {
      const env = envName === undefined ? {} : { [envName]: envOnly ? '0' : 'false' };
      const result = normalizeBooleanFlags(['status', spelling, '--state-dir', 'd'], env);
      if (envOnly) {
        // Only its variable carries it (FORCE_COLOR=1), and the flag beats the variable.
        expect(result.args).toEqual(['status', '--state-dir', 'd']);
        expect(result.env).toEqual({ [envName!]: '1' });
      } else {
        expect(result.args).toEqual(['status', `--${name}`, '--state-dir', 'd']);
        expect(result.env).toEqual(env);
      }
    });

    it.each(FALSE_SPELLINGS(name))(`%s means false and beats the variable`, (spelling) => {
      const env = envName === undefined ? { OTHER: 'x' } : { [envName]: 'true', OTHER: 'x' };
      const result = normalizeBooleanFlags(['status', spelling], env);
      expect(result.args).toEqual(['status']);
      expect(result.env).toEqual(envName === undefined ? env : { [envName]: envOnly ? '0' : 'false', OTHER: 'x' });
    });

    it.each(REFUSED_SPELLINGS(name))(`%s is a usage error naming the flag and the accepted spellings`, (spelling) => {
      const error = refusal(['resume', spelling]);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toContain(`--${name}`);
      expect((error as Error).message).toContain(`--${name}=true, --${name}=false or --no-${name}`);
    });
  }

  it('leaves everything after `--` and every other argument as it is', () => {
    expect(normalizeBooleanFlags(['rollback', 'c.json', '--principal', 'p', '--', '--json=1'], {}).args).toEqual([
      'rollback', 'c.json', '--principal', 'p', '--', '--json=1',
    ]);
  });

  it('never invents or drops a non-boolean argument (property)', () => {
    const other = fc.stringMatching(/^[a-z./-]{0,12}$/).filter((arg) => !BOOLEAN_FLAGS.some(({ name }) => arg === `--${name}` || arg.startsWith(`--${name}=`) || arg.startsWith(`--no-${name}`)));
    fc.assert(
      fc.property(fc.array(other, { maxLength: 8 }), (args) => {
        expect(normalizeBooleanFlags(args, {}).args).toEqual(args);
      }),
    );
  });
});
