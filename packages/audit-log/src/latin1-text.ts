/** Buffer's own latin1 decoder (no `toString` argument handling); Node has it, other runtimes may not. */
type Latin1Slicing = Buffer & { latin1Slice?(start: number, end: number): string };
const HAS_LATIN1_SLICE = typeof (Buffer.prototype as Latin1Slicing).latin1Slice === 'function';

/** `buf[start, end)` decoded as latin1 (the caller checked the range). */
export function latin1Text(buf: Buffer, start: number, end: number): string {
  // Called as a method: through `.call` the native call is not inlined (measured: the whole replay half again slower).
  return HAS_LATIN1_SLICE ? (buf as Required<Latin1Slicing>).latin1Slice(start, end) : buf.toString('latin1', start, end);
}
