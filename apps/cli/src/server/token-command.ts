// `tau-po token create|list|revoke`: the control server's bearer tokens.
// The token text is printed once, by create; the store keeps a salted hash.
import {
  createToken,
  DEFAULT_TOKEN_STORE_PATH,
  parseTokenLifetime,
  readTokenStore,
  revokeToken,
  type ControlTokenRecord,
} from '@tau/control-api';
import { UsageError } from '@tau/recovery';
import { escapeTerminalText, unixMsText } from '@tau/schemas';
import { parseServerCommandOptions, stringOption } from './server-command-options.js';

/** `tau-po token --help`. */
export const TOKEN_HELP = `tau-po token: bearer tokens of tau-po serve

Usage:
  tau-po token create --principal <p> [--expires-in 30d] [--label <text>]
  tau-po token list
  tau-po token revoke <id>

Options:
  --token-store <file>   the store (default ${DEFAULT_TOKEN_STORE_PATH}; mode 0600)
  --principal <p>        create: who requests with this token act as
  --expires-in <n><d|h|m|s>  create: lifetime (default: no expiry)
  --label <text>         create: a note shown by list
  --json                 print JSON
  -h, --help             this text

create prints the token once; only a salted hash is stored. See docs/server.md.`;

/** What a token command prints. */
export interface TokenCommandOutput {
  stdout: string;
  stderr?: string;
}

function describeRecord(record: ControlTokenRecord, now: number): string {
  const state =
    record.revoked_unix_ms !== null
      ? 'revoked'
      : record.expires_unix_ms !== null && now >= record.expires_unix_ms
        ? 'expired'
        : 'active';
  const expires = record.expires_unix_ms === null ? 'never' : unixMsText(record.expires_unix_ms);
  return [
    `id=${record.id}`,
    `principal=${escapeTerminalText(JSON.stringify(record.principal))}`,
    `state=${state}`,
    `created=${unixMsText(record.created_unix_ms)}`,
    `expires=${expires}`,
    `label=${escapeTerminalText(JSON.stringify(record.label ?? ''))}`,
  ].join(' ');
}

// What `list` shows of a record: never the salt or hash.
function publicRecord(record: ControlTokenRecord): Omit<ControlTokenRecord, 'salt' | 'sha256'> {
  const { salt: _salt, sha256: _sha256, ...rest } = record;
  return rest;
}

function hasControlCharacter(text: string): boolean {
  return [...text].some((character) => {
    const code = character.codePointAt(0) ?? 0;
    return code < 0x20 || code === 0x7f;
  });
}

const PRINCIPAL_PATTERN = /^[\x21-\x7e]{1,256}$/;

/** Runs a token subcommand. @throws UsageError, TokenStoreError, UnknownTokenError */
export function runToken(args: readonly string[], now: number = Date.now()): TokenCommandOutput | 'help' {
  const subcommand = args[0];
  const rest = args.slice(1);
  const common = { 'token-store': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;
  if (subcommand === undefined || subcommand === '--help' || subcommand === '-h') return 'help';
  switch (subcommand) {
    case 'create': {
      const parsed = parseServerCommandOptions(
        'token create',
        rest,
        { ...common, principal: { type: 'string' }, 'expires-in': { type: 'string' }, label: { type: 'string' } },
        0,
      );
      if (parsed.values.help === true) return 'help';
      const principal = stringOption(parsed, 'principal');
      if (principal === undefined) throw new UsageError('tau-po token create: --principal is required');
      if (!PRINCIPAL_PATTERN.test(principal)) {
        throw new UsageError('tau-po token create: --principal must be 1-256 printable ASCII characters without spaces');
      }
      const expiresIn = stringOption(parsed, 'expires-in');
      const lifetime = expiresIn === undefined ? undefined : parseTokenLifetime(expiresIn);
      if (expiresIn !== undefined && lifetime === undefined) {
        throw new UsageError(`tau-po token create: invalid --expires-in '${expiresIn}' (expected e.g. 30d, 12h, 15m)`);
      }
      const label = stringOption(parsed, 'label');
      if (label !== undefined && (label.length > 256 || hasControlCharacter(label))) {
        throw new UsageError('tau-po token create: --label must be at most 256 characters without control characters');
      }
      const storePath = stringOption(parsed, 'token-store') ?? DEFAULT_TOKEN_STORE_PATH;
      const { record, token } = createToken(
        storePath,
        { principal, ...(label === undefined ? {} : { label }), ...(lifetime === undefined ? {} : { expiresInMs: lifetime }) },
        now,
      );
      if (parsed.values.json === true) return { stdout: JSON.stringify({ ...publicRecord(record), token }, null, 2) };
      return {
        stdout: token,
        stderr: `token ${record.id} for principal ${JSON.stringify(principal)} created in '${escapeTerminalText(storePath)}'; it is shown only now`,
      };
    }
    case 'list': {
      const parsed = parseServerCommandOptions('token list', rest, common, 0);
      if (parsed.values.help === true) return 'help';
      const store = readTokenStore(stringOption(parsed, 'token-store') ?? DEFAULT_TOKEN_STORE_PATH);
      if (parsed.values.json === true) return { stdout: JSON.stringify({ tokens: store.tokens.map(publicRecord) }, null, 2) };
      return { stdout: store.tokens.map((record) => describeRecord(record, now)).join('\n') };
    }
    case 'revoke': {
      const parsed = parseServerCommandOptions('token revoke', rest, common, 1);
      if (parsed.values.help === true) return 'help';
      const id = parsed.positionals[0];
      if (id === undefined) throw new UsageError('tau-po token revoke: the token id is required');
      const record = revokeToken(stringOption(parsed, 'token-store') ?? DEFAULT_TOKEN_STORE_PATH, id, now);
      if (parsed.values.json === true) return { stdout: JSON.stringify(publicRecord(record), null, 2) };
      return { stdout: `token ${record.id} revoked` };
    }
    default:
      throw new UsageError(`tau-po token: unknown subcommand '${subcommand}' (expected create, list or revoke)`);
  }
}
