// The few SGR sequences the renderers use; a styler that is the identity when
// colour is off keeps the rendering code free of colour conditionals.
const SGR = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, magenta: 35, cyan: 36 } as const;

/** A named text style. */
export type AnsiStyleName = keyof typeof SGR;

/** Applies a style, or returns the text unchanged when colour is off. */
export type AnsiStyler = (style: AnsiStyleName, text: string) => string;

/** The styler for `color` on or off. */
export function ansiStyler(color: boolean): AnsiStyler {
  return color ? (style, text) => `\u001b[${SGR[style]}m${text}\u001b[0m` : (_style, text) => text;
}
