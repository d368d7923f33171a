// A long-running process (the control server) authorizes every request; a
// policy file read, parsed and built into an enforcer each time costs about a
// sixth of a request's CPU. This keeps the authorizer of each policy path and
// reuses it while the file is the same file with the same size, mtime and
// ctime (any write or atomic replace changes one of them), so an edited policy
// applies to the very next request. A one-shot CLI process gains nothing and
// loses nothing.
import { statSync } from 'node:fs';
import type { RbacAuthorizer } from './rbac-authorizer.js';
import { loadRbacPolicy } from './rbac-policy-loading.js';

const MAX_CACHED_POLICIES = 64;
const cache = new Map<string, { key: string; authorizer: RbacAuthorizer }>();

function fileKey(policyPath: string): string | undefined {
  const stat = statSync(policyPath, { throwIfNoEntry: false, bigint: true });
  if (stat === undefined || !stat.isFile()) return undefined;
  return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
}

/**
 * `loadRbacPolicy`, reusing the authorizer built for the same unchanged file.
 * Anything but a regular file (missing, a dangling link, a directory) is
 * loaded afresh every time, so its error or its fail-closed denial is exactly
 * `loadRbacPolicy`'s.
 */
export async function loadRbacPolicyCached(policyPath: string): Promise<RbacAuthorizer> {
  const key = fileKey(policyPath);
  if (key === undefined) {
    cache.delete(policyPath);
    return loadRbacPolicy(policyPath);
  }
  const hit = cache.get(policyPath);
  if (hit !== undefined && hit.key === key) return hit.authorizer;
  // Keyed by the stat taken before the read: a change during the read makes the next stat differ, so it is reloaded.
  const authorizer = await loadRbacPolicy(policyPath);
  cache.delete(policyPath);
  if (cache.size >= MAX_CACHED_POLICIES) cache.delete(cache.keys().next().value!);
  cache.set(policyPath, { key, authorizer });
  return authorizer;
}
