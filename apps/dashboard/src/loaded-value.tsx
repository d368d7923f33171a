import { ErrorNotice } from './error-notice.js';

/** A value being loaded, loaded, or failed to load. */
export type Loaded<T> = { state: 'loading' } | { state: 'ok'; value: T } | { state: 'failed'; error: unknown };

/** The loading state. */
export const LOADING = { state: 'loading' } as const;

/** A section's body while its value loads or after it failed; nothing once loaded. */
export function LoadingOrError({ loaded }: { loaded: Loaded<unknown> }) {
  if (loaded.state === 'loading') return <p class="muted">Loading…</p>;
  if (loaded.state === 'failed') return <ErrorNotice error={loaded.error} />;
  return null;
}
