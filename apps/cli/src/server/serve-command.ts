// `tau-po serve`: the control API over the runs of `--config`, or over one
// `--state-dir` (the run `default`). Prints one line on stdout when ready,
// logs JSON lines on stderr, and on SIGTERM/SIGINT stops accepting, lets
// requests in flight finish (a commit is never cut short) and exits 0.
import fs from 'node:fs';
import path from 'node:path';
import {
  buildControlServer,
  createStderrJsonLogger,
  DEFAULT_TOKEN_STORE_PATH,
  readServerConfigFile,
  type ControlServerRun,
} from '@tau/control-api';
import { UsageError } from '@tau/recovery';
import { DEFAULT_RBAC_POLICY_PATH, DEFAULT_STATE_DIR, readRegularFile } from '@tau/schemas';
import { DEFAULT_LISTEN, isLoopbackHost, listenUrl, parseListenAddress } from './listen-address.js';
import { parseServerCommandOptions, stringOption } from './server-command-options.js';

/** `tau-po serve --help`. */
export const SERVE_HELP = `tau-po serve: the control API (and dashboard) for one or more runs

Usage: tau-po serve [options]

Options:
  --listen <host:port>     address to listen on (default ${DEFAULT_LISTEN}; port 0 picks a free one)
  --state-dir <dir>        the state directory of the run 'default' (default ${DEFAULT_STATE_DIR})
  --rbac-policy <file>     its RBAC policy (default ${DEFAULT_RBAC_POLICY_PATH})
  --config <file>          several runs: {"runs": [{"name", "state_dir", "rbac_policy"}]}
  --token-store <file>     bearer tokens (default ${DEFAULT_TOKEN_STORE_PATH}; see tau-po token)
  --tls-cert <file>        serve HTTPS with this certificate (PEM) ...
  --tls-key <file>         ... and this key; required to listen beyond loopback
  --insecure-http          listen beyond loopback without TLS (prints a warning)
  --dashboard-dir <dir>    the dashboard's built files (default: dashboard/ beside the bundle)
  --log-level <level>      fatal, error, warn, info (default), debug or silent
  -h, --help               this text

Prints "tau-po serve listening on <url>" when ready. SIGTERM or SIGINT: stop
accepting, let commands in flight commit, exit 0. See docs/server.md.`;

const ENV_STATE_DIR = 'TAU_PROMPT_OPTIMIZATION_CONTROL_STATE_DIR';
const ENV_RBAC_POLICY = 'TAU_PROMPT_OPTIMIZATION_CONTROL_RBAC_POLICY';
const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'silent']);

/** What `serve` runs with, decided from argv and the environment (pure apart from reading --config). */
interface ServePlan {
  runs: ControlServerRun[];
  listen: { host: string; port: number };
  tokenStorePath: string;
  tls: { certPath: string; keyPath: string } | undefined;
  insecureHttp: boolean;
  dashboardDir: string;
  logLevel: string;
}

function planServe(args: readonly string[], env: NodeJS.ProcessEnv, distDir: string): ServePlan | 'help' {
  const parsed = parseServerCommandOptions(
    'serve',
    args,
    {
      listen: { type: 'string' },
      'state-dir': { type: 'string' },
      'rbac-policy': { type: 'string' },
      config: { type: 'string' },
      'token-store': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'insecure-http': { type: 'boolean' },
      'dashboard-dir': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    0,
  );
  if (parsed.values.help === true) return 'help';
  const config = stringOption(parsed, 'config');
  const stateDir = stringOption(parsed, 'state-dir');
  const rbacPolicy = stringOption(parsed, 'rbac-policy');
  if (config !== undefined && (stateDir !== undefined || rbacPolicy !== undefined)) {
    throw new UsageError('tau-po serve: --config names every run; it cannot be combined with --state-dir or --rbac-policy');
  }
  const listen = parseListenAddress(stringOption(parsed, 'listen') ?? DEFAULT_LISTEN);
  const certPath = stringOption(parsed, 'tls-cert');
  const keyPath = stringOption(parsed, 'tls-key');
  if ((certPath === undefined) !== (keyPath === undefined)) throw new UsageError('tau-po serve: --tls-cert and --tls-key go together');
  const insecureHttp = parsed.values['insecure-http'] === true;
  if (!isLoopbackHost(listen.host) && certPath === undefined && !insecureHttp) {
    throw new UsageError(
      `tau-po serve: listening on '${listen.host}' (beyond loopback) requires --tls-cert and --tls-key, or --insecure-http`,
    );
  }
  const logLevel = stringOption(parsed, 'log-level') ?? 'info';
  if (!LOG_LEVELS.has(logLevel)) throw new UsageError(`tau-po serve: invalid --log-level '${logLevel}'`);
  const runs =
    config === undefined
      ? [
          {
            name: 'default',
            stateDir: stateDir ?? (env[ENV_STATE_DIR] || DEFAULT_STATE_DIR),
            rbacPolicyPath: rbacPolicy ?? (env[ENV_RBAC_POLICY] || DEFAULT_RBAC_POLICY_PATH),
          },
        ]
      : readServerConfigFile(config);
  return {
    runs,
    listen,
    tokenStorePath: stringOption(parsed, 'token-store') ?? DEFAULT_TOKEN_STORE_PATH,
    tls: certPath === undefined || keyPath === undefined ? undefined : { certPath, keyPath },
    insecureHttp,
    dashboardDir: stringOption(parsed, 'dashboard-dir') ?? path.join(distDir, 'dashboard'),
    logLevel,
  };
}

function readPem(filePath: string, what: string): Buffer {
  try {
    return readRegularFile(filePath, { maxBytes: 1024 * 1024 });
  } catch (cause) {
    throw new Error(`failed to read TLS ${what} '${filePath}'`, { cause });
  }
}

/** Runs `tau-po serve`; resolves once the server listens (the process then lives until a signal). */
export async function runServe(args: readonly string[], distDir: string): Promise<void> {
  const plan = planServe(args, process.env, distDir);
  if (plan === 'help') {
    process.stdout.write(`${SERVE_HELP}\n`);
    return;
  }
  const tls = plan.tls === undefined ? undefined : { cert: readPem(plan.tls.certPath, 'certificate'), key: readPem(plan.tls.keyPath, 'key') };
  const { logger, flush } = createStderrJsonLogger(plan.logLevel);
  if (plan.insecureHttp && tls === undefined && !isLoopbackHost(plan.listen.host)) {
    logger.warn(
      { listen: plan.listen.host },
      `warning: listening on ${plan.listen.host} without TLS (--insecure-http): bearer tokens cross the network in clear text`,
    );
  }
  const storeMode = fs.statSync(plan.tokenStorePath, { throwIfNoEntry: false })?.mode;
  if (storeMode === undefined) {
    logger.warn({ token_store: plan.tokenStorePath }, 'no token store yet: every request gets 401 until `tau-po token create` makes one');
  } else if ((storeMode & 0o077) !== 0) {
    logger.warn({ token_store: plan.tokenStorePath, mode: (storeMode & 0o777).toString(8) }, 'the token store is readable by other users; chmod 600 it');
  }
  const app = await buildControlServer({
    runs: plan.runs,
    tokenStorePath: plan.tokenStorePath,
    dashboardDir: plan.dashboardDir,
    logger,
    ...(tls === undefined ? {} : { tls }),
  });
  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: no new connections; requests in flight finish');
    app.close().then(
      () => {
        flush();
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        flush();
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  await app.listen({ host: plan.listen.host, port: plan.listen.port });
  const address = app.server.address();
  const port = address !== null && typeof address === 'object' ? address.port : plan.listen.port;
  process.stdout.write(`tau-po serve listening on ${listenUrl(tls === undefined ? 'http' : 'https', plan.listen.host, port)}\n`);
}
