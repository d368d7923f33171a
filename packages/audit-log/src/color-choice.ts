/**
 * Whether output may use ANSI colour. `FORCE_COLOR` decides when set, as in
 * Node itself: `0` or `false` means never, any other value (also empty)
 * always, terminal or not (the CLI's `--color`/`--no-color` set it). Else
 * only on a terminal, never when `NO_COLOR` is set to anything non-empty
 * (no-color.org) or `TERM=dumb`. Pure, so the CLI passes in
 * `process.stdout.isTTY` and its environment.
 */
export function shouldUseColor(options: { isTTY: boolean | undefined; env: Readonly<Record<string, string | undefined>> }): boolean {
  const { isTTY, env } = options;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY === true;
}
