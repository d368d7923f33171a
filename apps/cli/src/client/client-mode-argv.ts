// Client mode: `--server <url>` (or TAU_PO_SERVER) sends a command to a
// `tau-po serve` instead of running it on a state directory. This file reads
// the client's own options out of argv (pure); the rest of argv is parsed by
// the CLI's usual parsers, so every other flag, spelling and usage error is
// exactly local mode's.
import { UsageError } from '@tau/recovery';
import { apiRunNameSchema, escapeTerminalText } from '@tau/schemas';
import type { Environment } from '../control-environment.js';
import { readEnvString } from '../control-environment.js';
import { CONTROL_VALUE_OPTIONS } from '../control-option-table.js';
import { TAU_PO_SERVER_ENV } from '../client-mode-detection.js';

/** The variables of client mode (flags win over them). */
export const CLIENT_ENV = {
  server: TAU_PO_SERVER_ENV,
  tokenFile: 'TAU_PO_TOKEN_FILE',
  token: 'TAU_PO_TOKEN',
  run: 'TAU_PO_RUN',
} as const;

/** The run a lone `tau-po serve --state-dir` serves. */
export const DEFAULT_RUN = 'default';

/** Where the bearer token comes from. */
export type TokenSource = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'value'; readonly token: string };

/** Client mode's options after flags, variables and defaults. */
export interface ClientModeOptions {
  /** As given; checked by `parseServerUrl`. */
  readonly server: string;
  readonly token: TokenSource;
  readonly run: string;
  /** `--insecure-http`: allow plain HTTP to a host that is not loopback. */
  readonly insecureHttp: boolean;
}

/** What `splitClientModeArgv` found. */
export interface ClientModeArgv {
  readonly options: ClientModeOptions;
  /** argv without the client's options, for the CLI's parsers. */
  readonly rest: string[];
}

const VALUE_FLAGS = ['server', 'token-file', 'run'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];
const INSECURE_FLAG = 'insecure-http';
const INSECURE_SPELLINGS: ReadonlyMap<string, boolean> = new Map([
  [`--${INSECURE_FLAG}`, true],
  [`--${INSECURE_FLAG}=true`, true],
  [`--${INSECURE_FLAG}=false`, false],
  [`--no-${INSECURE_FLAG}`, false],
]);

/** Local-mode options that name what only the server may choose (its state dir, policy, and the token's principal). */
const SERVER_CHOSEN_FLAGS: readonly string[] = CONTROL_VALUE_OPTIONS.flatMap((option) => [option.name, option.tauName]);

function flagNameOf(arg: string): string | undefined {
  if (!arg.startsWith('--') || arg === '--') return undefined;
  const equals = arg.indexOf('=');
  return equals === -1 ? arg.slice(2) : arg.slice(2, equals);
}

function tokenSourceOf(flagFile: string | undefined, env: Environment): TokenSource {
  if (flagFile !== undefined) return { kind: 'file', path: flagFile };
  const envFile = readEnvString(env, CLIENT_ENV.tokenFile);
  const envToken = readEnvString(env, CLIENT_ENV.token);
  if (envFile !== undefined && envToken !== undefined) {
    throw new UsageError(`${CLIENT_ENV.tokenFile} and ${CLIENT_ENV.token} are both set; set one (or pass --token-file)`);
  }
  if (envFile !== undefined) return { kind: 'file', path: envFile };
  if (envToken !== undefined) return { kind: 'value', token: envToken };
  throw new UsageError(`--server needs a token: --token-file <file>, ${CLIENT_ENV.tokenFile}=<file> or ${CLIENT_ENV.token}=<token>`);
}

/**
 * Takes `--server`, `--token-file`, `--run` (each `--flag value` or
 * `--flag=value`, at most once) and `--insecure-http` out of argv, and
 * refuses the options the server decides (`--state-dir`, `--rbac-policy`,
 * `--principal`, either spelling). Pure.
 *
 * @throws UsageError
 */
export function splitClientModeArgv(args: readonly string[], env: Environment): ClientModeArgv {
  const values: Partial<Record<ValueFlag, string>> = {};
  let insecureHttp = false;
  let serverChosenFlag: string | undefined;
  const rest: string[] = [];
  let index = 0;
  while (index < args.length) {
    const arg = args[index]!;
    if (arg === '--') {
      rest.push(...args.slice(index));
      break;
    }
    const name = flagNameOf(arg);
    if (name !== undefined && (VALUE_FLAGS as readonly string[]).includes(name)) {
      const flag = name as ValueFlag;
      if (values[flag] !== undefined) throw new UsageError(`--${flag} given more than once`);
      let value: string | undefined;
      if (arg.includes('=')) {
        value = arg.slice(arg.indexOf('=') + 1);
        index += 1;
      } else {
        value = args[index + 1];
        index += 2;
      }
      if (value === undefined || value === '' || (value.startsWith('--') && !arg.includes('='))) {
        throw new UsageError(`--${flag} needs a value`);
      }
      values[flag] = value;
      continue;
    }
    // The CLI's boolean spellings (boolean-flag-spelling.ts): bare, =true, =false, --no-.
    const insecure = INSECURE_SPELLINGS.get(arg);
    if (insecure !== undefined) {
      insecureHttp = insecure;
      index += 1;
      continue;
    }
    if (name === INSECURE_FLAG) throw new UsageError(`--${INSECURE_FLAG} takes no value other than true or false (got '${escapeTerminalText(arg)}')`);
    if (name !== undefined && SERVER_CHOSEN_FLAGS.includes(name)) {
      serverChosenFlag ??= name;
      index += 1;
      continue;
    }
    rest.push(arg);
    index += 1;
  }
  const server = values.server ?? readEnvString(env, CLIENT_ENV.server);
  if (server === undefined) throw new UsageError(`client mode needs --server <url> (or ${CLIENT_ENV.server})`);
  if (serverChosenFlag !== undefined) {
    // Named, because an exported TAU_PO_SERVER is easy to forget when a local command is meant.
    const via = values.server === undefined ? `${CLIENT_ENV.server} (set in the environment)` : '--server';
    throw new UsageError(
      `--${serverChosenFlag} cannot be used with ${via}: the server chooses the state directory and policy, and the principal is the token's (choose a run with --run <name>)`,
    );
  }
  const run = values.run ?? readEnvString(env, CLIENT_ENV.run) ?? DEFAULT_RUN;
  // The server's run names (`serve --config`); anything else could not name a run and would need URL escaping.
  if (!apiRunNameSchema.safeParse(run).success) {
    throw new UsageError(`invalid run name '${escapeTerminalText(run)}': letters, digits, '.', '_' and '-', at most 64`);
  }
  return { options: { server, token: tokenSourceOf(values['token-file'], env), run, insecureHttp }, rest };
}
