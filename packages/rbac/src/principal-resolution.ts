import { trimTauWhitespace } from './tau-whitespace.js';

/** Environment variables read when no principal is given. */
export type PrincipalEnvironment = Readonly<Record<string, string | undefined>>;

/**
 * The principal a control command acts as, resolved as Tau does: a given,
 * non-blank principal is trimmed and used as is; otherwise `local:` plus the
 * actor from `TAU_RBAC_LOCAL_ACTOR`, else `USER`, else `LOGNAME`, else
 * `operator`. The actor is trimmed, blank becomes `unknown`, every character
 * other than an ASCII letter, digit, `-` or `_` becomes `-`, and the result is
 * lower-cased.
 */
export function resolvePrincipal(given: string | undefined, env: PrincipalEnvironment = process.env): string {
  if (given !== undefined) {
    const trimmed = trimTauWhitespace(given);
    if (trimmed !== '') return trimmed;
  }
  // A variable that is set but empty still wins (Rust's `env::var` returns Ok("")), and then reads as blank.
  const actor = env['TAU_RBAC_LOCAL_ACTOR'] ?? env['USER'] ?? env['LOGNAME'] ?? 'operator';
  return `local:${sanitizeLocalActor(actor)}`;
}

function sanitizeLocalActor(actor: string): string {
  const trimmed = trimTauWhitespace(actor);
  if (trimmed === '') return 'unknown';
  let sanitized = '';
  // for..of walks code points, as Rust's `chars()` does: one emoji becomes one `-`.
  for (const character of trimmed) {
    sanitized += /^[A-Za-z0-9_-]$/.test(character) ? character : '-';
  }
  return sanitized.toLowerCase();
}
