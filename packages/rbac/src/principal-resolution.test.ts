import { describe, expect, it } from 'vitest';
import { resolvePrincipal } from './principal-resolution.js';

describe('resolvePrincipal', () => {
  it.each([
    ['a given principal is trimmed', '  ops:alice \n', {}, 'ops:alice'],
    ['a given principal keeps its case and characters', 'Team:Ünï Côdé', {}, 'Team:Ünï Côdé'],
    ['a blank given principal falls back to the local actor', ' \t ', { USER: 'bob' }, 'local:bob'],
    ['no principal and no variables is local:operator', undefined, {}, 'local:operator'],
    ['TAU_RBAC_LOCAL_ACTOR wins over USER and LOGNAME', undefined, { TAU_RBAC_LOCAL_ACTOR: 'ci', USER: 'u', LOGNAME: 'l' }, 'local:ci'],
    ['USER wins over LOGNAME', undefined, { USER: 'u', LOGNAME: 'l' }, 'local:u'],
    ['LOGNAME is the last variable tried', undefined, { LOGNAME: 'l' }, 'local:l'],
    ['a set but empty variable still wins and reads as blank', undefined, { TAU_RBAC_LOCAL_ACTOR: '', USER: 'u' }, 'local:unknown'],
    ['a blank actor becomes unknown', undefined, { USER: '   ' }, 'local:unknown'],
    ['the actor is trimmed, then sanitised and lower-cased', undefined, { USER: '  Jane.Doe@Corp ' }, 'local:jane-doe-corp'],
    ['dash and underscore survive', undefined, { USER: 'build_bot-2' }, 'local:build_bot-2'],
    ['each non-ASCII character becomes one dash', undefined, { USER: 'Zoë😀' }, 'local:zo--'],
    ['inner spaces become dashes', undefined, { USER: 'a b\tc' }, 'local:a-b-c'],
    ['a colon in the actor is replaced', undefined, { USER: 'local:root' }, 'local:local-root'],
    ['NEL is whitespace to Rust and is trimmed', undefined, { USER: '\u0085dev\u0085' }, 'local:dev'],
    ['a BOM is not whitespace to Rust and is sanitised', undefined, { USER: '\uFEFFdev' }, 'local:-dev'],
  ])('%s', (_label, given, env, expected) => {
    expect(resolvePrincipal(given, env)).toBe(expected);
  });

  it('reads process.env by default', () => {
    const saved = process.env['TAU_RBAC_LOCAL_ACTOR'];
    process.env['TAU_RBAC_LOCAL_ACTOR'] = 'From-Env';
    try {
      expect(resolvePrincipal(undefined)).toBe('local:from-env');
    } finally {
      if (saved === undefined) delete process.env['TAU_RBAC_LOCAL_ACTOR'];
      else process.env['TAU_RBAC_LOCAL_ACTOR'] = saved;
    }
  });
});
