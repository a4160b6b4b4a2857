/** Fault knobs of the Graph emulator: throttling, server errors, latency, replication lag. */
import type { IntuneThrottleOptions } from './intuneThrottle';

export interface ServerErrorFault {
  readonly status?: 500 | 502 | 503 | 504;
  /** Sent as `Retry-After` (seconds) when set. */
  readonly retryAfterSeconds?: number;
  /** Apply the write first, then answer with the error (an ambiguous failure, as after a gateway timeout). */
  readonly afterApplying?: boolean;
}

export interface GraphEmulatorFaults {
  /** Directory-write throttle as a token bucket: 429 with `Retry-After` once it is empty. */
  readonly writeThrottle?: WriteThrottle;
  /** Intune's documented service limits per app and tenant (issue 20); off unless set. */
  readonly intuneThrottle?: IntuneThrottleOptions;
  /** Fraction (0..1) of requests answered with a server error, drawn from the emulator's seeded random source. */
  readonly serverErrorRate?: number;
  /** Shape of the random server errors (default 503 without Retry-After). */
  readonly serverError?: ServerErrorFault;
  /** The next `count` requests fail this way (deterministic, for tests). */
  readonly failNext?: ServerErrorFault & { readonly count: number };
  /** Added to every response. */
  readonly latencyMs?: number;
  /** New groups stay invisible to reads for this long (Entra replication). */
  readonly replicationLagMs?: number;
  /** set/clearEnrollmentTimeDeviceMembershipTarget answer 500 whoever calls (app-only callers get it anyway by default). */
  readonly membershipTargetInternalError?: boolean;
}

export interface WriteThrottle {
  readonly capacity: number;
  readonly refillPerSecond: number;
  /**
   * `seconds` (default): whole seconds, rounded up, as Graph sends them. `milliseconds`: a decimal with
   * millisecond precision, so that tests can run a fast throttle without sleeping whole seconds.
   */
  readonly retryAfterPrecision?: 'seconds' | 'milliseconds';
}

export type ThrottleDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly capacity: number,
    private readonly refillPerSecond: number,
    private readonly now: () => number,
  ) {
    if (!(capacity >= 1) || !(refillPerSecond > 0)) throw new Error('A write throttle needs capacity ≥ 1 and refillPerSecond > 0.');
    this.tokens = capacity;
    this.updatedAt = now();
  }

  take(): ThrottleDecision {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.refillPerSecond);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterMs: ((1 - this.tokens) / this.refillPerSecond) * 1000 };
  }
}

/** Mulberry32: a small seeded generator, so fault sequences repeat from run to run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The Retry-After header value (in seconds) for a wait of `ms`. */
export function retryAfterHeader(ms: number, precision: WriteThrottle['retryAfterPrecision'] = 'seconds'): string {
  return precision === 'seconds' ? String(Math.max(1, Math.ceil(ms / 1000))) : (Math.max(1, Math.ceil(ms)) / 1000).toString();
}
