/**
 * The client's side of Intune's service limits: requests are sent when the documented budget has room for
 * them, instead of being sent, throttled and sent again (issue 20). One budget per Intune area and limit (any,
 * write), each a GCRA-style token bucket: a request reserves its tokens at once, in every bucket it counts
 * against, at the earliest time all of them allow, and waits until then. Reservations are made in call order,
 * so requests on one bucket go out first come, first served, and a request never waits for a bucket it does not
 * use. Graph's own 429s are still honoured by the callers (Retry-After): the real service may be stricter, and
 * other clients of the same app (another instance) spend the same budget.
 */
import { type Clock, systemClock } from '../shared/clock';
import { delay } from '../shared/delay';
import { INTUNE_LIMITS, INTUNE_WINDOW_MS, intuneAreaOf, intuneLimitKindsOf } from './intuneLimits';

/** A request as it goes out: its method and its path relative to the Graph version (a batch's inner `url`). */
export interface PacedRequest {
  readonly method: string;
  readonly url: string;
}

export interface RequestPacer {
  /** Resolves when these requests may be sent (at once, one batch), their budget spent. */
  admit(requests: readonly PacedRequest[]): Promise<void>;
}

export interface IntunePacerOptions {
  /** The fraction of each documented limit this pacer spends (default 1). */
  readonly share?: number;
  /**
   * Divides the documented 20 s window, as the emulator's `timeScale` does: for the benchmark, whose emulator
   * runs a shortened window. The product uses the documented window (the default, 1).
   */
  readonly timeScale?: number;
  readonly clock?: Clock;
  /** Waits this long (a real wait unless a test moves a fake clock). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Burst capacity kept unspent: what the service still grants when requests reach it in a different order or
 * spacing than they were admitted, and room for the same app's other callers.
 */
export const PACER_HEADROOM = 0.1;

interface Bucket {
  /** Tokens the bucket holds when full. */
  readonly capacity: number;
  /** Milliseconds one token takes to come back. */
  readonly msPerToken: number;
  /** The time at which the bucket is full again, given every reservation so far (GCRA's theoretical arrival time). */
  fullAt: number;
}

export function createIntunePacer(options: IntunePacerOptions = {}): RequestPacer {
  const share = options.share ?? 1;
  const timeScale = options.timeScale ?? 1;
  if (!(share > 0 && share <= 1) || !(timeScale > 0)) throw new RangeError('An Intune pacer needs 0 < share ≤ 1 and timeScale > 0.');
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? delay;
  const windowMs = INTUNE_WINDOW_MS / timeScale;
  const buckets = new Map<string, Bucket>();

  function bucketOf(key: string, limit: number): Bucket {
    let bucket = buckets.get(key);
    if (!bucket) {
      const perWindow = limit * share;
      bucket = { capacity: Math.max(1, Math.floor(perWindow * (1 - PACER_HEADROOM))), msPerToken: windowMs / perWindow, fullAt: -Infinity };
      buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Tokens needed per bucket by these requests; requests outside Intune need none. */
  function needsOf(requests: readonly PacedRequest[]): Map<Bucket, number> {
    const needs = new Map<Bucket, number>();
    for (const request of requests) {
      const area = intuneAreaOf(request.url);
      if (!area) continue;
      for (const kind of intuneLimitKindsOf(request.method)) {
        const bucket = bucketOf(`${area}:${kind}`, INTUNE_LIMITS[area][kind]);
        needs.set(bucket, (needs.get(bucket) ?? 0) + 1);
      }
    }
    return needs;
  }

  return {
    admit(requests) {
      const needs = needsOf(requests);
      if (needs.size === 0) return Promise.resolve();
      const now = clock.now().getTime();
      // A bucket allows `tokens` at the time it is that many tokens short of full; more than it holds waits
      // for it to be full (the service then throttles the rest, and Retry-After is honoured).
      let sendAt = now;
      for (const [bucket, tokens] of needs) sendAt = Math.max(sendAt, bucket.fullAt - (bucket.capacity - Math.min(tokens, bucket.capacity)) * bucket.msPerToken);
      for (const [bucket, tokens] of needs) bucket.fullAt = Math.max(bucket.fullAt, sendAt) + tokens * bucket.msPerToken;
      return sendAt > now ? sleep(sendAt - now) : Promise.resolve();
    },
  };
}
