import { useState } from 'preact/hooks';
import { ModalDialog } from './modal-dialog.js';

export interface RollbackDialogProps {
  suggestedPath: string;
  onConfirm(checkpoint: string): Promise<void>;
  onClose(): void;
}

/** Asks for the checkpoint to roll back to (a path on the server's host). */
export function RollbackDialog({ suggestedPath, onConfirm, onClose }: RollbackDialogProps) {
  const [path, setPath] = useState(suggestedPath);
  return (
    <ModalDialog title="Roll back to a checkpoint" onClose={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (path.trim() !== '') void onConfirm(path.trim());
        }}
      >
        <label for="rollback-checkpoint">Checkpoint path</label>
        <input
          id="rollback-checkpoint"
          type="text"
          required
          spellcheck={false}
          value={path}
          onInput={(event) => setPath((event.currentTarget as HTMLInputElement).value)}
          aria-describedby="rollback-hint"
        />
        <p class="hint" id="rollback-hint">
          A path on the server's host, resolved against the server's working directory. It is loaded and checked before anything is written.
        </p>
        <div class="dialog-buttons">
          <button type="submit">Roll back</button>
          <button type="button" class="secondary" onClick={onClose}>
            Close
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
