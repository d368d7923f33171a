/** One durable operation as `TAU_PO_FAILPOINT_TRACE` records it. */
export interface TracedOperation {
  readonly index: number;
  readonly kind: string;
  readonly path: string;
}

/** A trace line is not `<index>\t<kind>\t<path>`. */
export class FailpointTraceError extends Error {
  override name = 'FailpointTraceError';
}

/** Parses a failpoint trace (`<index>\t<kind>\t<path>\n` per operation), checking indexes run 1, 2, 3, ... */
export function parseFailpointTrace(text: string): TracedOperation[] {
  const operations: TracedOperation[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [indexText, kind, ...pathParts] = line.split('\t');
    const index = Number(indexText);
    if (!Number.isSafeInteger(index) || kind === undefined || kind === '' || pathParts.length === 0) {
      throw new FailpointTraceError(`malformed failpoint trace line ${JSON.stringify(line)}`);
    }
    if (index !== operations.length + 1) {
      throw new FailpointTraceError(`failpoint trace index ${index} out of order (expected ${operations.length + 1})`);
    }
    operations.push({ index, kind, path: pathParts.join('\t') });
  }
  return operations;
}
