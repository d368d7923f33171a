// Reading Tau's TAU_PROMPT_OPTIMIZATION_CONTROL_* variables (pure: the
// environment is passed in).
import type { ControlAction } from '@tau/schemas';
import { UsageError } from '@tau/recovery';
import { actionEnvName, CONTROL_ACTIONS } from './control-option-table.js';

/** The process environment, or a table standing in for it in tests. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * A string variable; unset and empty both mean "not given", as with most
 * tools (an exported-but-empty variable is how shells clear a setting).
 */
export function readEnvString(env: Environment, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * A boolean variable: `true`/`false`/`1`/`0` (any case, surrounding blanks
 * ignored); unset or empty is undefined; anything else is a usage error, so a
 * typo never silently means false.
 */
export function readEnvBoolean(env: Environment, name: string): boolean | undefined {
  const raw = readEnvString(env, name);
  if (raw === undefined) return undefined;
  switch (raw.trim().toLowerCase()) {
    case 'true':
    case '1':
      return true;
    case 'false':
    case '0':
      return false;
    default:
      throw new UsageError(`${name} must be true, false, 1 or 0 (got '${raw}')`);
  }
}

/** An action named by the environment or the command line. */
export interface NamedAction {
  readonly action: ControlAction;
  /** The checkpoint path, for `rollback` only. */
  readonly checkpoint?: string;
}

/** The actions the environment selects (`..._PAUSE=true`, `..._ROLLBACK=<path>`), in Tau's order. */
export function readEnvActions(env: Environment): NamedAction[] {
  const actions: NamedAction[] = [];
  for (const action of CONTROL_ACTIONS) {
    const name = actionEnvName(action);
    if (action === 'rollback') {
      const checkpoint = readEnvString(env, name);
      if (checkpoint !== undefined) actions.push({ action, checkpoint });
    } else if (readEnvBoolean(env, name) === true) {
      actions.push({ action });
    }
  }
  return actions;
}
