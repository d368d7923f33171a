// The token store (`--token-store`, default .tau/security/control-tokens.json):
// strict JSON, mode 0600, replaced atomically, holding only salted hashes.
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod/mini';
import { replaceFileAtomically } from '@tau/durable-fs';
import { parseJsonStrict, readRegularFileIfExists } from '@tau/schemas';
import { hashTokenSecret, mintToken, parsePresentedToken, secretMatches, TOKEN_ID_PATTERN } from './token-secret.js';

/** Where `tau-po serve` and `tau-po token` keep tokens unless told otherwise. */
export const DEFAULT_TOKEN_STORE_PATH = '.tau/security/control-tokens.json';

/** A store bigger than this is refused (a store of 10,000 tokens is about 3 MB). */
const MAX_TOKEN_STORE_BYTES = 16 * 1024 * 1024;

const hexSchema = (length: number) => z.string().check(z.regex(new RegExp(`^[0-9a-f]{${length}}$`)));
const unixMsSchema = z.number().check(z.int(), z.nonnegative());

/** One token's record: who it authenticates, its lifetime, and the salted hash of its secret. */
export const controlTokenRecordSchema = z.strictObject({
  id: z.string().check(z.regex(TOKEN_ID_PATTERN)),
  principal: z.string().check(z.minLength(1), z.maxLength(256)),
  label: z.nullable(z.string().check(z.maxLength(256))),
  created_unix_ms: unixMsSchema,
  expires_unix_ms: z.nullable(unixMsSchema),
  revoked_unix_ms: z.nullable(unixMsSchema),
  salt: hexSchema(32),
  sha256: hexSchema(64),
});
/** One token's record. */
export type ControlTokenRecord = z.infer<typeof controlTokenRecordSchema>;

/** The token store file. */
export const controlTokenStoreSchema = z.strictObject({
  schema_version: z.literal(1),
  tokens: z.array(controlTokenRecordSchema),
});
/** The token store file. */
export type ControlTokenStore = z.infer<typeof controlTokenStoreSchema>;

/** The token store cannot be read, parsed or written. */
export class TokenStoreError extends Error {
  override name = 'TokenStoreError';
}

/** A token id that is not in the store. */
export class UnknownTokenError extends Error {
  override name = 'UnknownTokenError';
}

/** Reads the store; a missing file is an empty store. Regular files only, bounded, strict JSON. */
export function readTokenStore(storePath: string): ControlTokenStore {
  let text: string;
  try {
    // noFollow: the store holds secrets' hashes; a link there could redirect its replacement.
    const bytes = readRegularFileIfExists(storePath, { noFollow: true, maxBytes: MAX_TOKEN_STORE_BYTES });
    if (bytes === undefined) return { schema_version: 1, tokens: [] };
    text = bytes.toString('utf8');
  } catch (cause) {
    throw new TokenStoreError(`failed to read token store '${storePath}'`, { cause });
  }
  try {
    const parsed = controlTokenStoreSchema.safeParse(parseJsonStrict(text));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${issue?.path.join('.') || 'store'}: ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data;
  } catch (cause) {
    throw new TokenStoreError(`failed to parse token store '${storePath}'`, { cause });
  }
}

/** Writes the store atomically with mode 0600 (its directory is created 0700 when missing). */
export function writeTokenStore(storePath: string, store: ControlTokenStore): void {
  try {
    fs.mkdirSync(path.dirname(storePath), { recursive: true, mode: 0o700 });
    // Created empty with 0600 first: the atomic replace keeps an existing file's mode.
    try {
      fs.closeSync(fs.openSync(storePath, 'wx', 0o600));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const stat = fs.lstatSync(storePath);
    if (stat.isFile() && (stat.mode & 0o077) !== 0) fs.chmodSync(storePath, 0o600);
    replaceFileAtomically(storePath, `${JSON.stringify(controlTokenStoreSchema.parse(store), null, 2)}\n`);
  } catch (cause) {
    throw new TokenStoreError(`failed to write token store '${storePath}'`, { cause });
  }
}

/** What `token create` asks for. */
export interface TokenCreateRequest {
  principal: string;
  label?: string;
  /** Lifetime in milliseconds; absent: no expiry. */
  expiresInMs?: number;
}

/** Adds a token to the store; returns its record and the token text (shown once, never stored). */
export function createToken(
  storePath: string,
  request: TokenCreateRequest,
  now: number = Date.now(),
): { record: ControlTokenRecord; token: string } {
  const store = readTokenStore(storePath);
  let minted = mintToken();
  while (store.tokens.some((record) => record.id === minted.id)) minted = mintToken();
  const record: ControlTokenRecord = {
    id: minted.id,
    principal: request.principal,
    label: request.label ?? null,
    created_unix_ms: now,
    expires_unix_ms: request.expiresInMs === undefined ? null : now + request.expiresInMs,
    revoked_unix_ms: null,
    salt: minted.salt,
    sha256: minted.sha256,
  };
  writeTokenStore(storePath, { schema_version: 1, tokens: [...store.tokens, record] });
  return { record, token: minted.token };
}

/** Marks a token revoked (the record stays, so `token list` and audit rows still name it). Idempotent. */
export function revokeToken(storePath: string, id: string, now: number = Date.now()): ControlTokenRecord {
  const store = readTokenStore(storePath);
  const record = store.tokens.find((candidate) => candidate.id === id);
  if (record === undefined) throw new UnknownTokenError(`no token with id '${id}' in '${storePath}'`);
  if (record.revoked_unix_ms !== null) return record;
  const revoked = { ...record, revoked_unix_ms: now };
  writeTokenStore(storePath, {
    schema_version: 1,
    tokens: store.tokens.map((candidate) => (candidate.id === id ? revoked : candidate)),
  });
  return revoked;
}

/** Why a presented token was refused (for the server's log, never the client). */
export type TokenRefusal = 'malformed' | 'unknown' | 'mismatch' | 'revoked' | 'expired';

/** The verdict on a presented token. */
export type TokenVerdict = { ok: true; record: ControlTokenRecord } | { ok: false; refusal: TokenRefusal };

// Compared against when the id is unknown, so an unknown id costs the same hash and compare as a known one.
const DECOY = { salt: '0'.repeat(32), sha256: hashTokenSecret('0'.repeat(32), 'decoy') };

/** Checks a presented token against the store (pure; constant-time on the secret). */
export function verifyPresentedToken(store: ControlTokenStore, text: string, now: number): TokenVerdict {
  const presented = parsePresentedToken(text);
  if (presented === undefined) return { ok: false, refusal: 'malformed' };
  const record = store.tokens.find((candidate) => candidate.id === presented.id);
  const matches = secretMatches(record?.salt ?? DECOY.salt, record?.sha256 ?? DECOY.sha256, presented.secret);
  if (record === undefined) return { ok: false, refusal: 'unknown' };
  if (!matches) return { ok: false, refusal: 'mismatch' };
  if (record.revoked_unix_ms !== null) return { ok: false, refusal: 'revoked' };
  if (record.expires_unix_ms !== null && now >= record.expires_unix_ms) return { ok: false, refusal: 'expired' };
  return { ok: true, record };
}

/**
 * The store as the server sees it: re-read whenever the file changes (stat
 * per request: size, mtime, inode), so `token revoke` and `token create`
 * take effect without a restart. An unreadable store refuses every token.
 */
export class TokenStoreView {
  private key = '';
  private store: ControlTokenStore | undefined;

  constructor(readonly storePath: string) {}

  /** The store now. @throws TokenStoreError when it cannot be read. */
  current(): ControlTokenStore {
    const stat = fs.statSync(this.storePath, { throwIfNoEntry: false, bigint: true });
    const key = stat === undefined ? 'absent' : `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
    if (this.store === undefined || key !== this.key) {
      this.store = readTokenStore(this.storePath);
      this.key = key;
    }
    return this.store;
  }
}

/** Parses `--expires-in`: `<n>d`, `<n>h`, `<n>m` or `<n>s` (n a positive integer). */
export function parseTokenLifetime(text: string): number | undefined {
  const match = /^([1-9][0-9]{0,5})([dhms])$/.exec(text);
  if (match === null) return undefined;
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 }[match[2] as 'd' | 'h' | 'm' | 's'];
  return Number(match[1]) * unit;
}
