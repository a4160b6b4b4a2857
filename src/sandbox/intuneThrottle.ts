/**
 * Intune's service limits per app and tenant, as Graph's throttling-limits page lists them (its includes for
 * Intune device config v2, applications and devices): every request counts against the area's "Any" limit,
 * POST/PUT/PATCH/DELETE also against its write limit — by request type, so a read that is a POST (retrieve…)
 * counts as one. Each area is a token bucket per limit. Off unless configured; `timeScale` shortens the 20 s
 * window by that factor (tests and the benchmark), keeping every ratio.
 */
import { retryAfterHeader, TokenBucket } from './faults';
import { graphError, type GraphReply } from './graphWire';

export type IntuneArea = 'deviceConfigV2' | 'applications' | 'devices';

export interface IntuneLimit {
  /** Requests of any type per window, per app per tenant. */
  readonly any: number;
  /** POST, PUT, DELETE, PATCH per window, per app per tenant. */
  readonly write: number;
}

/** Graph: service-specific throttling limits, Intune (per app per tenant, 20 s windows). */
export const INTUNE_LIMITS: Readonly<Record<IntuneArea, IntuneLimit>> = {
  deviceConfigV2: { any: 1000, write: 100 },
  applications: { any: 1000, write: 100 },
  devices: { any: 2000, write: 200 },
};
export const INTUNE_WINDOW_MS = 20_000;

export interface IntuneThrottleOptions {
  /** Divides the 20 s window (default 1: the documented limits). */
  readonly timeScale?: number;
  /** As for the write throttle: whole seconds (default) or milliseconds, for fast tests. */
  readonly retryAfterPrecision?: 'seconds' | 'milliseconds';
}

const AREAS: readonly { readonly area: IntuneArea; readonly pattern: RegExp }[] = [
  { area: 'deviceConfigV2', pattern: /^\/deviceManagement\/(configurationPolicies|configurationSettings|configurationPolicyTemplates|reusablePolicySettings|configurationCategories)\b/ },
  { area: 'applications', pattern: /^\/deviceAppManagement\/(mobileApps|mobileAppCategories|mobileAppConfigurations)\b/ },
  { area: 'devices', pattern: /^\/deviceManagement\/(deviceManagementScripts|deviceHealthScripts|deviceComplianceScripts|managedDevices)\b/ },
];

export function intuneAreaOf(path: string): IntuneArea | undefined {
  return AREAS.find((each) => each.pattern.test(path))?.area;
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
    const kinds: ('any' | 'write')[] = method === 'GET' ? ['any'] : ['any', 'write'];
    for (const kind of kinds) {
      const decision = this.bucket(area, kind, limit[kind]).take();
      if (!decision.allowed) {
        return graphError(429, 'TooManyRequests', 'Please retry again later.', { 'Retry-After': retryAfterHeader(decision.retryAfterMs, this.options.retryAfterPrecision) });
      }
    }
    return undefined;
  }

  private bucket(area: IntuneArea, kind: 'any' | 'write', capacity: number): TokenBucket {
    const key = `${area}:${kind}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(capacity, capacity / (this.windowMs / 1000), this.now);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}
