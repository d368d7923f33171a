// What `tau-po serve` serves: the runs (name, state directory, RBAC policy),
// from `--config <file>` or a lone `--state-dir` (the run `default`).
import * as z from 'zod/mini';
import { apiRunNameSchema, parseJsonStrict, readRegularFile } from '@tau/schemas';

/** One run as the config file names it. */
export const serverRunConfigSchema = z.strictObject({
  name: apiRunNameSchema,
  state_dir: z.string().check(z.minLength(1)),
  rbac_policy: z.string().check(z.minLength(1)),
});

/** `--config <file>`: `{runs: [{name, state_dir, rbac_policy}]}` (strict: unknown keys are refused). */
export const serverConfigSchema = z
  .strictObject({ runs: z.array(serverRunConfigSchema).check(z.minLength(1), z.maxLength(256)) })
  .check(
    z.refine((config) => new Set(config.runs.map((run) => run.name)).size === config.runs.length, {
      error: 'run names must be unique',
    }),
  );
/** `--config <file>`. */
export type ServerConfig = z.infer<typeof serverConfigSchema>;

/** A run the server controls. */
export interface ControlServerRun {
  name: string;
  stateDir: string;
  rbacPolicyPath: string;
}

/** The config file is unusable. */
export class ServerConfigError extends Error {
  override name = 'ServerConfigError';
}

const MAX_CONFIG_BYTES = 1024 * 1024;

/** Reads `--config`: a regular file of at most 1 MiB, strict JSON, validated. */
export function readServerConfigFile(filePath: string): ControlServerRun[] {
  let text: string;
  try {
    text = readRegularFile(filePath, { maxBytes: MAX_CONFIG_BYTES }).toString('utf8');
  } catch (cause) {
    throw new ServerConfigError(`failed to read server config '${filePath}'`, { cause });
  }
  try {
    const parsed = serverConfigSchema.safeParse(parseJsonStrict(text));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${issue === undefined || issue.path.length === 0 ? 'config' : issue.path.join('.')}: ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data.runs.map((run) => ({ name: run.name, stateDir: run.state_dir, rbacPolicyPath: run.rbac_policy }));
  } catch (cause) {
    throw new ServerConfigError(`failed to parse server config '${filePath}'`, { cause });
  }
}
