// The gateway's two traffic policies, as Telenor documents them for Norway APIs: a quota per app and API
// (429 / 42901) and a spike arrest per app and API (429 / 42902). Both use fixed windows on the injected
// clock, so tests can watch them trip and reset without sleeping.

export interface RateLimitOptions {
  /** At most `limit` calls per `windowSeconds` per client and API; `false` turns the quota off. */
  quota?: { limit: number; windowSeconds: number } | false;
  /** At most `perSecond` calls in any one second per client and API; `false` turns it off. */
  spikeArrest?: { perSecond: number } | false;
}

export const DEFAULT_RATE_LIMIT: Required<RateLimitOptions> = {
  quota: { limit: 10_000, windowSeconds: 3600 },
  spikeArrest: { perSecond: 100 },
};

export type RateDecision =
  | { ok: true }
  | { ok: false; policy: 'quota' | 'spike-arrest'; retryAfterSeconds: number };

interface Window {
  start: number;
  count: number;
}

/** Counts in fixed windows; `key` is client + API. */
class FixedWindow {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts the call; false (and how long until the window resets) when it is over the limit. */
  hit(key: string, now: number): { ok: boolean; retryAfterMs: number } {
    let w = this.windows.get(key);
    if (w === undefined || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
      // Keys are client × API, a small set; this only guards against a pathological flood of client ids.
      if (this.windows.size > 10_000) this.windows.clear();
    }
    w.count++;
    return { ok: w.count <= this.limit, retryAfterMs: w.start + this.windowMs - now };
  }
}

export class RateLimiter {
  private readonly quota: FixedWindow | undefined;
  private readonly spike: FixedWindow | undefined;

  constructor(options: RateLimitOptions | false) {
    const o = options === false ? { quota: false as const, spikeArrest: false as const } : { ...DEFAULT_RATE_LIMIT, ...options };
    this.quota = o.quota === false ? undefined : new FixedWindow(o.quota.limit, o.quota.windowSeconds * 1000);
    this.spike = o.spikeArrest === false ? undefined : new FixedWindow(o.spikeArrest.perSecond, 1000);
  }

  check(key: string, now: number): RateDecision {
    // Spike arrest first, as a gateway runs it: a burst is refused before it eats into the quota.
    const spike = this.spike?.hit(key, now);
    if (spike && !spike.ok) return { ok: false, policy: 'spike-arrest', retryAfterSeconds: Math.max(1, Math.ceil(spike.retryAfterMs / 1000)) };
    const quota = this.quota?.hit(key, now);
    if (quota && !quota.ok) return { ok: false, policy: 'quota', retryAfterSeconds: Math.max(1, Math.ceil(quota.retryAfterMs / 1000)) };
    return { ok: true };
  }
}
