// Whether argv asks for client mode (`--server`, or TAU_PO_SERVER set): then
// dist/tau-po-client.cjs runs the command against a `tau-po serve`. Kept
// tiny: every local command asks it before anything else.
import type { Environment } from './control-environment.js';

/** The variable naming the control server (client mode when set and not empty). */
export const TAU_PO_SERVER_ENV = 'TAU_PO_SERVER';

/** True when argv (before any `--` end of options) has `--server`, or TAU_PO_SERVER is set. */
export function isClientModeInvocation(args: readonly string[], env: Environment): boolean {
  const fromEnv = env[TAU_PO_SERVER_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return true;
  const start = args[0] === '--' ? 1 : 0;
  for (let index = start; index < args.length; index += 1) {
    const arg = args[index]!;
    if (arg === '--') return false;
    if (arg === '--server' || arg.startsWith('--server=')) return true;
  }
  return false;
}
