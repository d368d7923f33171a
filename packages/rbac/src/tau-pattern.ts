/**
 * Tau's pattern rule, used for binding principals and for allow/deny action
 * patterns: `*` matches everything, a pattern ending in `*` matches by
 * prefix, anything else matches exactly (a `*` elsewhere is a literal
 * character). casbin's keyMatch treats a `*` in the middle as a wildcard, so
 * casbin is given this function instead.
 */
export function matchesTauPattern(value: string, pattern: string): boolean {
  // `*` alone is the empty prefix, which every value starts with.
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return value === pattern;
}
