/** What a failpoint does when its operation comes up. */
export type FailpointMode = 'crash' | 'torn';

/** A parsed `TAU_PO_FAILPOINT` value: act on the `at`-th durable operation (1-based). */
export interface FailpointSpec {
  readonly mode: FailpointMode;
  readonly at: number;
}

/** The `TAU_PO_FAILPOINT` value is not `crash@N` or `torn@N`. */
export class FailpointSpecError extends Error {
  override name = 'FailpointSpecError';
}

const SPEC_PATTERN = /^(crash|torn)@([1-9][0-9]*)$/;

/**
 * Parses `crash@N` / `torn@N`; empty or absent means off. Anything else throws:
 * this is a testing interface, and silently ignoring a typo would let a crash
 * test pass without ever crashing.
 */
export function parseFailpointSpec(value: string | undefined): FailpointSpec | undefined {
  if (value === undefined || value === '') return undefined;
  const match = SPEC_PATTERN.exec(value.trim());
  const at = match ? Number(match[2]) : Number.NaN;
  if (!match || !Number.isSafeInteger(at)) {
    throw new FailpointSpecError(
      `invalid TAU_PO_FAILPOINT ${JSON.stringify(value)} (expected crash@N or torn@N with N >= 1)`,
    );
  }
  return { mode: match[1] as FailpointMode, at };
}

/** What the counted operation must do. */
export type FailpointAction = 'proceed' | 'crash' | 'tear';

/** The kinds of durable operation that failpoints count. */
export type DurableOperationKind = 'write' | 'fsync' | 'rename' | 'append' | 'truncate';

/**
 * Decides what the `index`-th durable operation does under `spec`. A torn
 * failpoint on an operation that writes no data (fsync, rename, truncate)
 * behaves as a crash.
 */
export function decideFailpointAction(
  spec: FailpointSpec | undefined,
  index: number,
  kind: DurableOperationKind,
): FailpointAction {
  if (spec === undefined || spec.at !== index) return 'proceed';
  if (spec.mode === 'torn' && (kind === 'write' || kind === 'append')) return 'tear';
  return 'crash';
}
