import type { ApiRunList } from '@tau/schemas';
import { useEffect, useState } from 'preact/hooks';
import type { ControlApiClient } from './control-api-client.js';
import { ErrorNotice } from './error-notice.js';
import { formatValue } from './display-format.js';
import { RunView } from './run-view.js';
import { useHashRun } from './use-hash-route.js';

export interface SignedInPageProps {
  client: ControlApiClient;
  onError(error: unknown): void;
  onSignOut(): void;
}

/** The header, the server's runs, and the chosen run (the only run when there is one). */
export function SignedInPage({ client, onError, onSignOut }: SignedInPageProps) {
  const [runs, setRuns] = useState<ApiRunList['runs'] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const hashRun = useHashRun();

  useEffect(() => {
    let live = true;
    client.get<ApiRunList>('/runs').then(
      (list) => live && setRuns(list.runs),
      (failure: unknown) => {
        if (!live) return;
        setError(failure);
        onError(failure);
      },
    );
    return () => {
      live = false;
    };
  }, [client, onError]);

  const chosen = hashRun ?? (runs?.length === 1 ? runs[0]?.name : undefined);
  return (
    <>
      <header class="top-bar">
        <p class="brand">tau-po dashboard</p>
        <button type="button" class="secondary" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main">
        {error !== undefined && <ErrorNotice error={error} />}
        <nav aria-labelledby="runs-heading" class="runs">
          <h2 id="runs-heading">Runs</h2>
          {runs === undefined ? (
            <p aria-live="polite">Loading runs…</p>
          ) : (
            <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="runs-heading">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Run</th>
                    <th scope="col">Lifecycle</th>
                    <th scope="col">Training</th>
                  </tr>
                </thead>
                <tbody>
                  {runs.map((run) => (
                    <tr key={run.name}>
                      <td>
                        <a href={`#/runs/${encodeURIComponent(run.name)}`} aria-current={run.name === chosen ? 'page' : undefined}>
                          {run.name}
                        </a>
                      </td>
                      <td>{formatValue(run.lifecycle_state)}</td>
                      <td>{formatValue(run.training_run_state)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </nav>
        {chosen !== undefined && <RunView key={chosen} client={client} run={chosen} onError={onError} />}
      </main>
    </>
  );
}
