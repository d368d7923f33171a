import { useEffect, useState } from 'preact/hooks';

/** The run named by the address (`#/runs/<name>`), or undefined. */
export function runOfHash(hash: string): string | undefined {
  const match = /^#\/runs\/([^/]+)$/.exec(hash);
  if (match === null || match[1] === undefined) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}

/** The run in the address bar, following back/forward and link clicks. */
export function useHashRun(): string | undefined {
  const [run, setRun] = useState(() => runOfHash(window.location.hash));
  useEffect(() => {
    const follow = () => setRun(runOfHash(window.location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  return run;
}
