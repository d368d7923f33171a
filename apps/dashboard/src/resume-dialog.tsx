import type { ControlReport } from '@tau/schemas';
import { useEffect, useState } from 'preact/hooks';
import { formatValue } from './display-format.js';
import { FactsList } from './facts-list.js';
import { ModalDialog } from './modal-dialog.js';

export interface ResumeDialogProps {
  /** The dry run (resolves undefined when it failed; the action bar shows the error). */
  dryRun(): Promise<ControlReport | undefined>;
  onConfirm(): Promise<void>;
  onClose(): void;
}

/** What a resume would do (its dry run), acting only on Confirm. */
export function ResumeDialog({ dryRun, onConfirm, onClose }: ResumeDialogProps) {
  const [preview, setPreview] = useState<ControlReport | undefined | 'loading' | 'failed'>('loading');
  useEffect(() => {
    let live = true;
    void dryRun().then((report) => live && setPreview(report ?? 'failed'));
    return () => {
      live = false;
    };
    // Once per opening: the dialog is mounted anew each time.
  }, []);
  return (
    <ModalDialog title="Resume: what would happen" onClose={onClose}>
      {preview === 'loading' && <p role="status">Asking the server for a dry run…</p>}
      {preview === 'failed' && <p role="alert">The dry run failed; see the error below the actions. Nothing was changed.</p>}
      {typeof preview === 'object' && (
        <>
          <p>This is a dry run: nothing has been written yet.</p>
          <FactsList
            facts={[
              ['Crash detected', formatValue(preview.recovery_crash_detected)],
              ['Would restore from', preview.recovery_checkpoint_source === null ? 'no checkpoint' : `the ${preview.recovery_checkpoint_source} checkpoint`],
              ['Checkpoint run id', formatValue(preview.checkpoint_run_id)],
              ['Audit events replayed', formatValue(preview.recovery_replayed_audit_events)],
              ['Lifecycle afterwards', formatValue(preview.control_state?.lifecycle_state)],
            ]}
          />
          <h3>Diagnostics</h3>
          {(preview.diagnostics ?? []).length === 0 ? (
            <p class="muted">None.</p>
          ) : (
            <ul class="diagnostics">
              {(preview.diagnostics ?? []).map((line, index) => (
                <li key={index}>{line}</li>
              ))}
            </ul>
          )}
        </>
      )}
      <div class="dialog-buttons">
        <button type="button" disabled={typeof preview !== 'object'} onClick={() => void onConfirm()}>
          Confirm
        </button>
        <button type="button" class="secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}
