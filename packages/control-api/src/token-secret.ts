// A bearer token is `tpo_<id>_<secret>`: a public id (what the store, `token
// list` and audit rows name) and 256 random bits. The store keeps only
// sha256(salt || secret) with a per-token random salt.
//
// Why sha256 and not scrypt: a slow KDF protects guessable secrets (passwords)
// against offline guessing. A 256-bit CSPRNG secret cannot be guessed, slow
// or fast, so scrypt would add no protection while costing tens of
// milliseconds of CPU on every request (and would hand anyone who can send
// requests a cheap way to burn the server's CPU). The salt still makes two
// stores' hashes incomparable and any precomputation useless.
import crypto from 'node:crypto';

/** The token id: 12 lowercase hex digits. */
export const TOKEN_ID_PATTERN = /^[0-9a-f]{12}$/;
const TOKEN_PATTERN = /^tpo_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** A token as parsed from an Authorization header (not yet verified). */
export interface PresentedToken {
  id: string;
  secret: string;
}

/** A fresh token: the text shown to the operator once, and what the store keeps. */
export interface MintedToken {
  id: string;
  token: string;
  salt: string;
  sha256: string;
}

/** sha256(salt || secret) as hex (`salt` hex, `secret` the token's secret part). */
export function hashTokenSecret(saltHex: string, secret: string): string {
  return crypto.createHash('sha256').update(Buffer.from(saltHex, 'hex')).update(secret, 'utf8').digest('hex');
}

/** Makes a new token with 256 random bits of secret and a 128-bit salt. */
export function mintToken(): MintedToken {
  const id = crypto.randomBytes(6).toString('hex');
  const secret = crypto.randomBytes(32).toString('base64url');
  const salt = crypto.randomBytes(16).toString('hex');
  return { id, token: `tpo_${id}_${secret}`, salt, sha256: hashTokenSecret(salt, secret) };
}

/** Splits a presented token into id and secret; undefined when it is not shaped like one of ours. */
export function parsePresentedToken(text: string): PresentedToken | undefined {
  const match = TOKEN_PATTERN.exec(text);
  return match === null ? undefined : { id: match[1]!, secret: match[2]! };
}

/** Whether `secret` hashes to `expectedSha256Hex` under `saltHex`, compared in constant time. */
export function secretMatches(saltHex: string, expectedSha256Hex: string, secret: string): boolean {
  const actual = Buffer.from(hashTokenSecret(saltHex, secret), 'hex');
  const expected = Buffer.from(expectedSha256Hex, 'hex');
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
}
