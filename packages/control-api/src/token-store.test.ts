import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePresentedToken } from './token-secret.js';
import {
  createToken,
  parseTokenLifetime,
  readTokenStore,
  revokeToken,
  TokenStoreError,
  TokenStoreView,
  UnknownTokenError,
  verifyPresentedToken,
} from './token-store.js';

let dir: string;
let storePath: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tau-tokens-'));
  storePath = path.join(dir, 'security', 'control-tokens.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('token store', () => {
  it('create keeps only a salted hash, in a 0600 file, and the token verifies', () => {
    const { record, token } = createToken(storePath, { principal: 'ci:bot', label: 'ci' }, 1000);
    const text = fs.readFileSync(storePath, 'utf8');
    expect(fs.statSync(storePath).mode & 0o777).toBe(0o600);
    expect(text).not.toContain(parsePresentedToken(token)!.secret);
    expect(record).toMatchObject({ principal: 'ci:bot', label: 'ci', created_unix_ms: 1000, expires_unix_ms: null, revoked_unix_ms: null });
    expect(verifyPresentedToken(readTokenStore(storePath), token, 2000)).toEqual({ ok: true, record });
  });

  it('two tokens for one principal get different salts and hashes', () => {
    const first = createToken(storePath, { principal: 'p' }).record;
    const second = createToken(storePath, { principal: 'p' }).record;
    expect(first.salt).not.toBe(second.salt);
    expect(first.sha256).not.toBe(second.sha256);
    expect(readTokenStore(storePath).tokens).toHaveLength(2);
  });

  it('a looser mode on an existing store is tightened on write', () => {
    createToken(storePath, { principal: 'p' });
    fs.chmodSync(storePath, 0o644);
    createToken(storePath, { principal: 'q' });
    expect(fs.statSync(storePath).mode & 0o777).toBe(0o600);
  });

  it('refuses revoked, expired, unknown, mismatched and malformed tokens', () => {
    const { token, record } = createToken(storePath, { principal: 'p', expiresInMs: 10_000 }, 0);
    const store = readTokenStore(storePath);
    const { id, secret } = parsePresentedToken(token)!;
    expect(verifyPresentedToken(store, token, 9_999).ok).toBe(true);
    expect(verifyPresentedToken(store, token, 10_000)).toEqual({ ok: false, refusal: 'expired' });
    const otherSecret = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
    expect(verifyPresentedToken(store, `tpo_${id}_${otherSecret}`, 0)).toEqual({ ok: false, refusal: 'mismatch' });
    expect(verifyPresentedToken(store, `tpo_${'f'.repeat(12)}_${secret}`, 0)).toEqual({ ok: false, refusal: 'unknown' });
    expect(verifyPresentedToken(store, `${token}x`, 0)).toEqual({ ok: false, refusal: 'malformed' });
    revokeToken(storePath, record.id, 5);
    expect(verifyPresentedToken(readTokenStore(storePath), token, 6)).toEqual({ ok: false, refusal: 'revoked' });
    expect(() => revokeToken(storePath, 'abcdefabcdef')).toThrow(UnknownTokenError);
  });

  it('no string but the token itself verifies (property)', () => {
    const { token } = createToken(storePath, { principal: 'p' });
    const store = readTokenStore(storePath);
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        fc.pre(text !== token);
        expect(verifyPresentedToken(store, text, Date.now()).ok).toBe(false);
      }),
    );
  });

  it.each([
    ['not JSON', '{'],
    ['an unknown key', JSON.stringify({ schema_version: 1, tokens: [], extra: 1 })],
    ['another version', JSON.stringify({ schema_version: 2, tokens: [] })],
    ['a record without its hash', JSON.stringify({ schema_version: 1, tokens: [{ id: 'abcdefabcdef', principal: 'p' }] })],
    ['a byte order mark', `\ufeff${JSON.stringify({ schema_version: 1, tokens: [] })}`],
  ])('refuses a store with %s', (_name, text) => {
    fs.mkdirSync(path.dirname(storePath), { recursive: true });
    fs.writeFileSync(storePath, text);
    expect(() => readTokenStore(storePath)).toThrow(TokenStoreError);
  });

  it('refuses a store that is not a regular file', () => {
    fs.mkdirSync(storePath, { recursive: true });
    expect(() => readTokenStore(storePath)).toThrow(TokenStoreError);
  });

  it('the server view re-reads the store when it changes', () => {
    const view = new TokenStoreView(storePath);
    expect(view.current().tokens).toHaveLength(0);
    createToken(storePath, { principal: 'p' });
    expect(view.current().tokens).toHaveLength(1);
  });
});

describe('parseTokenLifetime', () => {
  it.each([
    ['30d', 30 * 86_400_000],
    ['12h', 12 * 3_600_000],
    ['15m', 15 * 60_000],
    ['1s', 1000],
  ])('%s', (text, ms) => {
    expect(parseTokenLifetime(text)).toBe(ms);
  });
  it.each(['', '0d', '30', 'd', '1.5d', '-1d', '30 d', '1w', '9999999d'])('refuses %j', (text) => {
    expect(parseTokenLifetime(text)).toBeUndefined();
  });
});
