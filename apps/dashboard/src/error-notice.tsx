import { ControlApiError } from './control-api-client.js';

/** The server's message, its reason code and exit code; announced to screen readers. */
export function ErrorNotice({ error }: { error: unknown }) {
  const known = error instanceof ControlApiError ? error : undefined;
  const message = known?.message ?? (error instanceof Error ? error.message : String(error));
  return (
    <div class="notice notice-error" role="alert">
      <p>
        <strong>Error:</strong> {message}
      </p>
      {known !== undefined && (known.reasonCode !== undefined || known.exitCode !== undefined) && (
        <p class="error-codes">
          {known.reasonCode !== undefined && (
            <>
              reason code <code>{known.reasonCode}</code>
            </>
          )}
          {known.reasonCode !== undefined && known.exitCode !== undefined && ' · '}
          {known.exitCode !== undefined && <>exit code {known.exitCode}</>}
          {known.status > 0 && <> · HTTP {known.status}</>}
        </p>
      )}
    </div>
  );
}
