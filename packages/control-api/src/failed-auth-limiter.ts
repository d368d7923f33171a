// Counts failed authentications per client address in a fixed window; a
// client over the limit is refused (429) until its window ends, valid token
// or not. Hand-written rather than @fastify/rate-limit: that plugin counts
// requests, and this must count only failures (a busy CI job with a good
// token must never be throttled by it).

interface Window {
  startedAt: number;
  failures: number;
}

/** The limit: at most `maxFailures` per `windowMs` per address. */
export interface FailedAuthLimit {
  maxFailures: number;
  windowMs: number;
}

/** Bounds memory under a flood from many addresses: the oldest windows are dropped first. */
const MAX_TRACKED_ADDRESSES = 10_000;

/** Failed authentications per client address. */
export class FailedAuthLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly limit: FailedAuthLimit) {}

  /** Seconds until `address` may try again, or 0 when it is not blocked. */
  blockedForSeconds(address: string, now: number): number {
    const window = this.windows.get(address);
    if (window === undefined) return 0;
    const ends = window.startedAt + this.limit.windowMs;
    if (now >= ends) {
      this.windows.delete(address);
      return 0;
    }
    return window.failures >= this.limit.maxFailures ? Math.ceil((ends - now) / 1000) : 0;
  }

  /** Records one failure of `address`. */
  recordFailure(address: string, now: number): void {
    const window = this.windows.get(address);
    if (window !== undefined && now < window.startedAt + this.limit.windowMs) {
      window.failures += 1;
      return;
    }
    this.windows.delete(address);
    if (this.windows.size >= MAX_TRACKED_ADDRESSES) {
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.windows.delete(oldest);
    }
    this.windows.set(address, { startedAt: now, failures: 1 });
  }
}
