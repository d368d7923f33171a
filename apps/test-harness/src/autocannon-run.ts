// autocannon (pinned in package.json), the HTTP load generator of the server
// bench, loaded at run time (kept out of the harness bundle: tsup.config.ts).
// It ships no types; this is the part of its result the bench reads.

/** The version package.json pins (shown with the figures). */
export const AUTOCANNON_VERSION = '9.0.0';

/** One autocannon run's options (the subset the bench uses). */
export interface AutocannonOptions {
  readonly url: string;
  readonly connections: number;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Stop after this many requests... */
  readonly amount?: number;
  /** ...or after this many seconds. */
  readonly duration?: number;
}

/** What the bench reads from autocannon's result. */
export interface AutocannonResult {
  readonly requests: { readonly average: number; readonly total: number };
  readonly latency: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly '2xx': number;
}

type Autocannon = (options: AutocannonOptions & { readonly setupClient?: unknown }) => Promise<AutocannonResult>;

/** Runs autocannon once. */
export async function runAutocannon(options: AutocannonOptions): Promise<AutocannonResult> {
  const module = (await import('autocannon')) as { default: Autocannon };
  return module.default({ ...options });
}
