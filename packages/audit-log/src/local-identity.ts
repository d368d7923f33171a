import os from 'node:os';

/**
 * The OS account running this process, recorded in audit rows next to the
 * claimed principal. `userInfo` throws when the uid has no passwd entry (common
 * in containers); then the environment's USER / LOGNAME, else `unknown`.
 */
export function localOsUser(env: NodeJS.ProcessEnv = process.env): string {
  try {
    return os.userInfo().username;
  } catch {
    return env.USER || env.LOGNAME || 'unknown';
  }
}

/** The host name recorded in audit rows. */
export function localHostName(): string {
  return os.hostname();
}
