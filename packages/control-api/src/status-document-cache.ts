// `GET status` answers the same document as `tau-po status --json`, which
// replays the whole audit log: seconds at a million rows, during which this
// single-threaded server answers nothing else, and most of a request's CPU at
// any size. The document is a pure function of the state directory's files,
// the policy file and the principal, so it is kept per principal and reused
// while a stat of every one of those files says nothing has changed.
import fs from 'node:fs';

/** Files a status document depends on, and how old their last change must be before a document built from them is kept. */
export interface StatusInputs {
  /** Every path the document is computed from (the state directory itself too: it changes when an entry is added, removed or renamed). */
  readonly paths: readonly string[];
}

/**
 * A change this recent is not trusted to show in a second change's stat: on
 * a file system with coarse timestamps two writes of the same size inside
 * one tick look alike. A document read from files this fresh is not kept.
 */
export const RACY_CHANGE_WINDOW_MS = 2_000;

/** One path's identity: device, inode, size, and change times in nanoseconds; `absent` when nothing is there. */
function identityOf(path: string): { text: string; changedMs: number } {
  const stats = fs.statSync(path, { bigint: true, throwIfNoEntry: false });
  if (stats === undefined) return { text: 'absent', changedMs: 0 };
  return {
    text: `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}:${stats.mode}`,
    changedMs: Number(stats.ctimeNs / 1_000_000n),
  };
}

/** What the inputs look like now: one signature, and whether all of them are old enough to trust it. */
export function observeStatusInputs(inputs: StatusInputs, nowMs: number): { signature: string; settled: boolean } {
  const parts: string[] = [];
  let settled = true;
  for (const path of inputs.paths) {
    let identity: { text: string; changedMs: number };
    try {
      identity = identityOf(path);
    } catch (error) {
      // Unstattable (a parent is not a directory, no permission): never cached, always recomputed.
      identity = { text: `error:${(error as NodeJS.ErrnoException).code ?? 'unknown'}`, changedMs: nowMs };
    }
    parts.push(identity.text);
    if (nowMs - identity.changedMs < RACY_CHANGE_WINDOW_MS) settled = false;
  }
  return { signature: parts.join('|'), settled };
}

/** Documents by principal, each with the input signature it was computed from. */
export class StatusDocumentCache {
  private readonly documents = new Map<string, { signature: string; document: string }>();

  constructor(
    private readonly inputs: StatusInputs,
    private readonly maxPrincipals = 64,
  ) {}

  /**
   * The document for `principal`: the kept one when no input changed since it
   * was computed, else `compute()`'s (kept only when every input is settled).
   * A failure of `compute` propagates and keeps nothing.
   */
  async documentFor(principal: string, compute: () => Promise<string>, nowMs: number = Date.now()): Promise<string> {
    // Observed before computing: a change during the computation makes the next observation differ.
    const before = observeStatusInputs(this.inputs, nowMs);
    const kept = this.documents.get(principal);
    if (kept !== undefined && kept.signature === before.signature) return kept.document;
    const document = await compute();
    this.documents.delete(principal);
    if (before.settled) {
      if (this.documents.size >= this.maxPrincipals) this.documents.delete(this.documents.keys().next().value!);
      this.documents.set(principal, { signature: before.signature, document });
    }
    return document;
  }
}
