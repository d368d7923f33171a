import type { ApiCheckpoints, ApiMutatingAction, ApiWhoami, ControlReport } from '@tau/schemas';
import { useEffect, useRef, useState } from 'preact/hooks';
import { actionAvailability } from './action-availability.js';
import { describeActionOutcome } from './action-outcome-text.js';
import type { ControlApiClient } from './control-api-client.js';
import { ErrorNotice } from './error-notice.js';
import type { Loaded } from './loaded-value.js';
import { ResumeDialog } from './resume-dialog.js';
import { RollbackDialog } from './rollback-dialog.js';

export interface ActionBarProps {
  client: ControlApiClient;
  run: string;
  whoami: ApiWhoami | undefined;
  checkpoints: Loaded<ApiCheckpoints>;
  /** After an action (not a dry run) succeeded, with its document. */
  onDone(report: ControlReport): void;
  onError(error: unknown): void;
}

const LABELS: Record<ApiMutatingAction, string> = { pause: 'Pause', resume: 'Resume', cancel: 'Cancel', rollback: 'Roll back' };
const ACTIONS: readonly ApiMutatingAction[] = ['pause', 'resume', 'cancel', 'rollback'];

/** The four control actions; a button the principal may not press says why. */
export function ActionBar({ client, run, whoami, checkpoints, onDone, onError }: ActionBarProps) {
  const [busy, setBusy] = useState<ApiMutatingAction | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [outcome, setOutcome] = useState('');
  const [dialog, setDialog] = useState<'resume' | 'rollback' | undefined>(undefined);
  const returnFocus = useRef<HTMLButtonElement | null>(null);

  const act = async (action: ApiMutatingAction, body: { dry_run?: boolean; checkpoint?: string } = {}): Promise<ControlReport | undefined> => {
    setBusy(action);
    setError(undefined);
    setOutcome('');
    try {
      const report = await client.act<ControlReport>(run, action, body);
      if (body.dry_run !== true) {
        setOutcome(describeActionOutcome(LABELS[action], report));
        onDone(report);
      }
      return report;
    } catch (failure) {
      setError(failure);
      onError(failure);
      return undefined;
    } finally {
      setBusy(undefined);
    }
  };

  const closeDialog = () => setDialog(undefined);
  // Focus goes back to the button that opened the dialog once the dialog is gone:
  // while the modal dialog is still open, the rest of the page is inert and cannot take focus.
  useEffect(() => {
    if (dialog !== undefined) return;
    returnFocus.current?.focus();
    returnFocus.current = null;
  }, [dialog]);

  return (
    <section class="panel actions" aria-labelledby="actions-heading">
      <h2 id="actions-heading">Actions</h2>
      <ul class="action-buttons">
        {ACTIONS.map((action) => {
          const availability = actionAvailability(whoami, action);
          const blocked = !availability.allowed || busy !== undefined;
          const reasonId = `action-${action}-reason`;
          return (
            <li key={action}>
              <button
                type="button"
                // aria-disabled rather than disabled: the button stays focusable, so keyboard and screen-reader users hear why.
                aria-disabled={blocked ? 'true' : undefined}
                aria-describedby={availability.allowed ? undefined : reasonId}
                class={action === 'cancel' ? 'danger' : undefined}
                onClick={(event) => {
                  if (blocked) return;
                  if (action === 'resume' || action === 'rollback') {
                    returnFocus.current = event.currentTarget;
                    setDialog(action);
                  } else void act(action);
                }}
              >
                {LABELS[action]}
              </button>
              {!availability.allowed && (
                <span class="reason" id={reasonId}>
                  Not allowed: {availability.reason}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {busy !== undefined && <p role="status">{LABELS[busy]}: waiting for the server…</p>}
      {outcome !== '' && (
        <p class="notice notice-ok" role="status">
          <span aria-hidden="true">✓ </span>
          {outcome}
        </p>
      )}
      {error !== undefined && <ErrorNotice error={error} />}
      {dialog === 'resume' && (
        <ResumeDialog
          dryRun={() => act('resume', { dry_run: true })}
          onConfirm={async () => {
            closeDialog();
            await act('resume');
          }}
          onClose={closeDialog}
        />
      )}
      {dialog === 'rollback' && (
        <RollbackDialog
          suggestedPath={checkpoints.state === 'ok' ? checkpoints.value.fallback.path : ''}
          onConfirm={async (checkpoint) => {
            closeDialog();
            await act('rollback', { checkpoint });
          }}
          onClose={closeDialog}
        />
      )}
    </section>
  );
}
