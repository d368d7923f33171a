// The version printed by `tau-po --version`, stamped in by the bundler
// (tsup `define`) from package.json; unbundled runs (tests) say "dev".
declare const __TAU_PO_VERSION__: string | undefined;

/** This CLI's version. */
export const CLI_VERSION: string = typeof __TAU_PO_VERSION__ === 'string' ? __TAU_PO_VERSION__ : '0.0.0-dev';
