// The `checkpoint inspect|verify <file>` operator commands.
import { loadCheckpoint, type LoadedCheckpoint } from '@tau/checkpoint-store';

/**
 * `checkpoint inspect <file>`: loads a checkpoint exactly as resume and
 * rollback would (streaming, Tau's checks, digest sidecar when present) and
 * returns its header and sizes; throws the loader's error chain otherwise.
 */
export function inspectCheckpoint(path: string): LoadedCheckpoint {
  return loadCheckpoint(path);
}
