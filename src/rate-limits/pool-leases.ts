/**
 * Points a pool has taken from its shared counter ahead of need, so that
 * most charges are settled in process memory instead of a round trip to the
 * counter (Redis, or the in-memory limiter).
 *
 * The counter is charged for a lease before any of it is handed out, so no
 * instance can ever admit more than the limit between them: a lease moves
 * points from "left in the pool" to "held by this instance", never past the
 * limit. What it costs is the other way: points one instance holds look used
 * to the others, so near the limit another instance may refuse a request the
 * pool could still have taken. Leases are therefore sized by what the pool
 * has left (one thirty-second of it, at most MAX_LEASE): a pool with
 * 4,096 or more left settles 128 charges per round trip, one with a
 * thousand left 31, and one with fewer than 32 left goes to the counter for
 * every charge, as if there were no leases. An idle instance holds at most
 * a thirty-second of what was left, until the window ends.
 *
 * A lease lives until the counter's window ends, as the counter reported it
 * when the lease was taken, counted from before the request was sent, so a
 * lease never outlives the window its points were counted in.
 */
export interface Lease {
  /** Points taken from the counter and not yet handed out. */
  left: number;
  /** The counter's value when last read: what every instance had taken, this lease included. */
  counted: number;
  /** When the window, and with it the lease, ends (epoch milliseconds). */
  endsAt: number;
}

export const MAX_LEASE = 128;
const LEASE_SHARE = 32;
/** Expired leases are swept after this many new ones, so memory follows the pools in use. */
const SWEEP_EVERY = 1024;

/** How many points beyond the charge itself to take, given what the pool would have left after it. */
export function leaseSize(leftAfterCharge: number): number {
  return Math.max(0, Math.min(MAX_LEASE, Math.floor(leftAfterCharge / LEASE_SHARE)));
}

/** What a pool has used, as far as this instance knows: the counter's value less what it holds unused. */
export function usedOf(lease: Lease): number {
  return lease.counted - lease.left;
}

export class PoolLeases {
  private readonly leases = new Map<string, Lease>();
  private kept = 0;

  /** Hands out `points` from the pool's lease, when it holds them and the pool's limit still allows them. */
  take(key: string, points: number, limit: number, now: number): Lease | null {
    const lease = this.live(key, now);
    if (!lease || lease.left < points || usedOf(lease) + points > limit) return null;
    lease.left -= points;
    return lease;
  }

  /** The pool's lease while its window lasts. */
  live(key: string, now: number): Lease | null {
    const lease = this.leases.get(key);
    if (!lease) return null;
    if (lease.endsAt > now) return lease;
    this.leases.delete(key);
    return null;
  }

  /**
   * Records what the counter said after a charge took points for it, and
   * keeps `spare` of those points for later charges (with what a lease of
   * the same window still holds).
   */
  keep(key: string, counted: number, spare: number, endsAt: number, now: number): Lease {
    let current = this.live(key, now);
    // A count below the lease's: the counter started a new window (it was reset), or this is an
    // older answer overtaken by a newer one. Either way the lease's points may not be counted
    // where these are, so they are dropped: holding fewer points is always safe.
    if (current && counted < current.counted) current = null;
    const lease = {
      left: (current?.left ?? 0) + spare,
      counted,
      endsAt: current ? Math.min(current.endsAt, endsAt) : endsAt,
    };
    this.leases.set(key, lease);
    if (++this.kept % SWEEP_EVERY === 0) this.sweep(now);
    return lease;
  }

  private sweep(now: number): void {
    for (const [key, lease] of this.leases) if (lease.endsAt <= now) this.leases.delete(key);
  }
}
