/**
 * A durable file operation failed. The message names the operation and the
 * path; the OS error is the `cause`.
 */
export class DurableFsError extends Error {
  override name = 'DurableFsError';
}
