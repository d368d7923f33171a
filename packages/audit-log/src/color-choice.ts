/**
 * Whether output may use ANSI colour: only on a terminal, never when
 * `NO_COLOR` is set to anything non-empty (no-color.org) or `TERM=dumb`.
 * Pure, so the CLI passes in `process.stdout.isTTY` and `process.env`.
 */
export function shouldUseColor(options: { isTTY: boolean | undefined; env: Readonly<Record<string, string | undefined>> }): boolean {
  const { isTTY, env } = options;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY === true;
}
