/**
 * Intune's service limits per app and tenant (the figures and areas in src/graph/intuneLimits.ts, shared with
 * the adapter's pacer), each area a token bucket per limit. Off unless configured; `timeScale` shortens the 20 s
 * window by that factor (tests and the benchmark), keeping every ratio.
 */
import { INTUNE_LIMITS, INTUNE_WINDOW_MS, intuneAreaOf, intuneLimitKindsOf, type IntuneArea, type IntuneLimitKind } from '../graph/intuneLimits';
import { retryAfterHeader, TokenBucket } from './faults';
import { graphError, type GraphReply } from './graphWire';

export interface IntuneThrottleOptions {
  /** Divides the 20 s window (default 1: the documented limits). */
  readonly timeScale?: number;
  /** As for the write throttle: whole seconds (default) or milliseconds, for fast tests. */
  readonly retryAfterPrecision?: 'seconds' | 'milliseconds';
}

export class IntuneThrottle {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly windowMs: number;

  constructor(
    private readonly options: IntuneThrottleOptions,
    private readonly now: () => number,
  ) {
    const scale = options.timeScale ?? 1;
    if (!(scale > 0)) throw new Error('The Intune throttle needs a timeScale > 0.');
    this.windowMs = INTUNE_WINDOW_MS / scale;
  }

  /** A 429 with Retry-After when the request's area is out of budget; undefined when it may proceed (and is counted). */
  admit(method: string, path: string): GraphReply | undefined {
    const area = intuneAreaOf(path);
    if (!area) return undefined;
    const limit = INTUNE_LIMITS[area];
    for (const kind of intuneLimitKindsOf(method)) {
      const decision = this.bucket(area, kind, limit[kind]).take();
      if (!decision.allowed) {
        return graphError(429, 'TooManyRequests', 'Please retry again later.', { 'Retry-After': retryAfterHeader(decision.retryAfterMs, this.options.retryAfterPrecision) });
      }
    }
    return undefined;
  }

  private bucket(area: IntuneArea, kind: IntuneLimitKind, capacity: number): TokenBucket {
    const key = `${area}:${kind}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(capacity, capacity / (this.windowMs / 1000), this.now);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}
