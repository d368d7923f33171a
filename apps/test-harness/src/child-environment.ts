const CLIENT_MODE_VARIABLES: ReadonlySet<string> = new Set(['TAU_PO_SERVER', 'TAU_PO_TOKEN', 'TAU_PO_TOKEN_FILE', 'TAU_PO_RUN']);

/**
 * The environment for a tau-po child: the caller's, minus what would change
 * the CLI's behaviour behind the harness's back (`TAU_PROMPT_OPTIMIZATION_CONTROL_*`,
 * a failpoint left set in the shell) or only slow it down. NODE_EXTRA_CA_CERTS
 * costs ~90 ms per start here and the CLI never opens a connection.
 */
export function tauPoChildEnvironment(
  base: NodeJS.ProcessEnv = process.env,
  extra: Readonly<Record<string, string>> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (key === 'NODE_EXTRA_CA_CERTS' || key === 'NODE_OPTIONS') continue;
    if (key.startsWith('TAU_PROMPT_OPTIMIZATION_CONTROL_') || key.startsWith('TAU_PO_FAILPOINT')) continue;
    // Client mode's variables would send every command to a server instead of the drill's state dir.
    if (CLIENT_MODE_VARIABLES.has(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}
