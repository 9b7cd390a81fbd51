import type Redis from 'ioredis';
import { Metrics } from '../observability/metrics';
import { Clock, systemClock } from '../shared/clock';
import { RateLimitPool, RateLimitState } from './rate-limit-pool';
import { CHARGE_SCRIPT, REFUND_SCRIPT, ScriptAnswer, SlidingRedis } from './sliding-windows.scripts';
import { MAX_LEASE } from './pool-leases';

/**
 * Pools of accounts whose plan says SLIDING: never more than the limit
 * admitted in ANY interval one window long, not only within each window
 * (a fixed window lets the limit through just before its end and again
 * just after, twice the limit within one window length).
 *
 * Exact, not a weighted estimate: time is cut into buckets of a sixtieth of
 * the window, and a charge in bucket b is admitted only if what was admitted
 * in buckets b - span .. b (span buckets cover at least one window before b
 * starts), plus the charge, fits in the limit. Any interval [s, s + window)
 * lies within the buckets its last admission counted, so everything admitted
 * in it was counted then, and that sum fitted. The price is conservatism: an
 * admitted request counts until between one window and one window plus a
 * bucket (a sixtieth, one second for a minute) after it was admitted.
 *
 * Only admitted charges are counted: steady traffic over the limit cannot
 * keep a pool shut, which opens again as its oldest admissions leave.
 *
 * With Redis, one script checks and counts atomically (a hash of bucket
 * counts per pool), on Redis's clock: instances never disagree about which
 * bucket it is. A pool with plenty left takes a lease with an admitted
 * charge, as fixed pools do (pool-leases.ts: 1/32 of what is left, at most
 * 128), but one that lives only until the bucket it was counted in ends:
 * a point handed out later than its bucket could break the guarantee. The
 * lease's end is measured from before the call, so it never outlives the
 * bucket whatever the clocks say, and its unused points are given back to
 * that bucket once it has ended (at the pool's next charge here), so an
 * instance holds at most one lease per pool. A busy pool thus costs one Redis
 * call per bucket (a second) or per 129 charges, whichever comes first.
 * Without Redis, or while it is down, the same counting runs in process
 * memory (per instance, like fixed windows), synchronously, without leases.
 */
export const BUCKETS_PER_WINDOW = 60;

export interface SlidingSettings {
  windowSeconds: number;
  keyPrefix: string;
  /** How long counting stays in memory after a failed Redis call. */
  retryMs: number;
}

/** Points of a pool's counter held by this instance, to hand out until `endsAt` (server clock ms), when `bucket` ends. */
interface SlidingLease {
  bucket: number;
  left: number;
  endsAt: number;
  /** The pool's count (every instance's, this lease included) when last read. */
  counted: number;
}

/** A sliding pool's state says where its charge was counted, for a refund (once): no bucket (-1) when it was not. */
interface SlidingState extends RateLimitState {
  countedBucket: number;
  countedShared: boolean;
}

/** One pool's counts in process memory: a ring of span + 1 buckets, the newest at `newest`. */
interface MemoryCounter {
  counts: number[];
  newest: number;
  total: number;
}

/** Idle counters and leases are swept after this many new ones, so memory follows the pools in use. */
const SWEEP_EVERY = 1024;

export class SlidingWindows {
  private readonly windowSeconds: number;
  private readonly bucketMs: number;
  private readonly span: number; // buckets before the current one a charge still counts: together at least a window
  private readonly memory = new Map<string, MemoryCounter>();
  private readonly leases = new Map<string, SlidingLease>();
  /** Pools with a script call in flight: concurrent misses take no lease, or a burst would reserve many. */
  private readonly calling = new Set<string>();
  private leased = 0;
  private readonly keyPrefix: string;
  private readonly retryMs: number;
  private created = 0;
  private redisResumesAt = 0;

  constructor(
    settings: SlidingSettings,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    private readonly redis: Redis | null,
  ) {
    this.windowSeconds = settings.windowSeconds;
    const windowMs = settings.windowSeconds * 1000;
    this.bucketMs = Math.max(1, Math.ceil(windowMs / BUCKETS_PER_WINDOW));
    this.span = Math.ceil(windowMs / this.bucketMs);
    this.keyPrefix = `${settings.keyPrefix}:sw:`;
    this.retryMs = settings.retryMs;
    redis?.defineCommand('keywardSlidingCharge', { numberOfKeys: 1, lua: CHARGE_SCRIPT });
    redis?.defineCommand('keywardSlidingRefund', { numberOfKeys: 1, lua: REFUND_SCRIPT });
    // Loaded on every (re)connection: a script's first call would otherwise be retried after later commands.
    redis?.on('ready', () => {
      for (const script of [CHARGE_SCRIPT, REFUND_SCRIPT]) redis.script('LOAD', script).catch(() => undefined);
    });
  }

  /**
   * Gives back `points` of the admitted charge `charged` (a later check refused the use), once, to the bucket and
   * store it was counted in: any other bucket could let more than the limit through in some window.
   */
  refund(pool: RateLimitPool, points: number, charged: RateLimitState): void {
    const where = charged as Partial<SlidingState>;
    if (where.countedBucket === undefined || where.countedBucket < 0) return;
    const bucket = where.countedBucket;
    where.countedBucket = -1;
    if (where.countedShared) {
      // Back into this instance's lease of that bucket (still counted in Redis), else into Redis.
      const lease = this.liveLease(pool.key);
      if (lease && lease.bucket === bucket) lease.left += points;
      else this.giveBack(pool.key, bucket, points);
      return;
    }
    const counter = this.memory.get(pool.key);
    if (!counter || counter.newest - bucket > this.span) return;
    const slot = bucket % (this.span + 1);
    const given = Math.min(points, counter.counts[slot]);
    counter.counts[slot] -= given;
    counter.total -= given;
  }

  /** Takes `points` if they fit; a refused charge is not counted. At once (no promise) from a lease. */
  charge(pool: RateLimitPool, points: number): RateLimitState | Promise<RateLimitState> {
    const lease = this.liveLease(pool.key);
    // The limit may have been lowered since the lease was taken.
    if (lease && lease.left >= points && lease.counted - lease.left + points <= pool.limit) {
      lease.left -= points;
      return this.leaseState(pool, lease, true);
    }
    return this.count(pool, points);
  }

  /** The pool's state, charging nothing. */
  peek(pool: RateLimitPool): RateLimitState | Promise<RateLimitState> {
    const lease = this.liveLease(pool.key);
    return lease ? this.leaseState(pool, lease, false) : this.count(pool, 0);
  }

  /** The pool's lease while its bucket lasts; an ended one gives its unused points back to its bucket. */
  private liveLease(key: string): SlidingLease | null {
    const lease = this.leases.get(key);
    if (!lease) return null;
    if (lease.endsAt > this.clock.now()) return lease;
    this.leases.delete(key);
    this.giveBack(key, lease.bucket, lease.left);
    return null;
  }

  /** Fire and forget: points a failed give-back leaves counted are safe. */
  private giveBack(key: string, bucket: number, points: number): void {
    if (points <= 0 || !this.redis) return;
    const redis = this.redis as unknown as SlidingRedis;
    redis.keywardSlidingRefund(this.keyPrefix + key, bucket, points).catch(() => this.metrics.rateLimitStoreFailed());
  }

  /** Keeps an admitted charge's spare points for the next charges here, with what a lease of the same bucket holds. */
  private keepLease(key: string, bucket: number, spare: number, total: number, endsAt: number): SlidingLease | null {
    const current = this.liveLease(key);
    if (current && current.bucket === bucket) {
      current.left += spare;
      current.counted = Math.max(current.counted, total);
      return current;
    }
    if (spare === 0) return current;
    // A lease of an older bucket: its bucket has ended, whatever this instance's timer says.
    if (current) {
      this.leases.delete(key);
      this.giveBack(key, current.bucket, current.left);
    }
    const lease = { bucket, left: spare, endsAt, counted: total };
    this.leases.set(key, lease);
    if (++this.leased % SWEEP_EVERY === 0) for (const leaseKey of [...this.leases.keys()]) this.liveLease(leaseKey);
    return lease;
  }

  private leaseState(pool: RateLimitPool, lease: SlidingLease, charged: boolean): RateLimitState {
    // Full again once the lease's bucket has left the window (later buckets of other instances aside).
    const untilReset = (lease.bucket + this.span + 1) * this.bucketMs - this.clock.now();
    return this.state(pool, 1, true, lease.counted - lease.left, untilReset, charged ? lease.bucket : -1, true);
  }

  private count(pool: RateLimitPool, points: number): RateLimitState | Promise<RateLimitState> {
    if (this.redis && this.redis.status === 'ready' && Date.now() >= this.redisResumesAt) {
      return this.countShared(this.redis as unknown as SlidingRedis, pool, points);
    }
    if (this.redis) this.metrics.rateLimitCountedInMemory();
    return this.countInMemory(pool, points);
  }

  private async countShared(redis: SlidingRedis, pool: RateLimitPool, points: number): Promise<RateLimitState> {
    let answer: ScriptAnswer;
    // The lease's end is counted from before the call: it cannot outlive the bucket the script saw.
    const startedAt = this.clock.now();
    const wanted = points > 0 && !this.calling.has(pool.key) ? MAX_LEASE : 0;
    if (wanted > 0) this.calling.add(pool.key);
    try {
      // Redis's clock decides the bucket; the offset is the server clock's lead (tests move it), exactly 0 in production.
      const offset = this.clock === systemClock ? 0 : startedAt - Date.now();
      const key = this.keyPrefix + pool.key;
      answer = await redis.keywardSlidingCharge(key, pool.limit, points, this.bucketMs, this.span, offset, wanted);
    } catch {
      this.redisResumesAt = Date.now() + this.retryMs;
      this.metrics.rateLimitCountedInMemory();
      return this.countInMemory(pool, points);
    } finally {
      if (wanted > 0) this.calling.delete(pool.key);
    }
    const [admitted, total, untilReset, bucket, spare, untilBucketEnd] = answer;
    if (admitted !== 1) return this.state(pool, points, false, total, untilReset, -1, true);
    const lease = this.keepLease(pool.key, bucket, spare, total, startedAt + untilBucketEnd);
    // This instance's unused lease counts as left, as for fixed pools.
    const held = lease && lease.bucket === bucket ? lease.left : 0;
    return this.state(pool, points, true, total - held, untilReset, bucket, true);
  }

  private countInMemory(pool: RateLimitPool, points: number): RateLimitState {
    const now = this.clock.now();
    const counter = this.counterOf(pool.key, Math.floor(now / this.bucketMs));
    const current = counter.newest;
    const size = this.span + 1;
    const admitted = points > 0 && counter.total + points <= pool.limit;
    if (admitted) {
      counter.counts[current % size] += points;
      counter.total += points;
    }
    // Buckets oldest first: the first after whose leaving a refused charge fits, else the newest counted.
    let resetBucket = -1;
    let freed = 0;
    for (let bucket = current - this.span; bucket <= current; bucket++) {
      const count = counter.counts[bucket % size];
      if (count === 0) continue;
      freed += count;
      resetBucket = bucket;
      if (points > 0 && !admitted && counter.total - freed + points <= pool.limit) break;
    }
    const untilReset = resetBucket < 0 ? this.span * this.bucketMs : (resetBucket + this.span + 1) * this.bucketMs - now;
    return this.state(pool, points, admitted, counter.total, untilReset, admitted ? current : -1, false);
  }

  /** The pool's counter with every bucket older than the window emptied. */
  private counterOf(key: string, current: number): MemoryCounter {
    const size = this.span + 1;
    let counter = this.memory.get(key);
    if (!counter) {
      counter = { counts: new Array<number>(size).fill(0), newest: current, total: 0 };
      this.memory.set(key, counter);
      if (++this.created % SWEEP_EVERY === 0) this.sweep(current);
      return counter;
    }
    // A clock stepped back counts in the newest bucket: holding points longer is always safe.
    if (current <= counter.newest) return counter;
    if (current - counter.newest >= size) {
      counter.counts.fill(0);
      counter.total = 0;
    } else {
      for (let bucket = counter.newest + 1; bucket <= current; bucket++) {
        counter.total -= counter.counts[bucket % size];
        counter.counts[bucket % size] = 0;
      }
    }
    counter.newest = current;
    return counter;
  }

  private sweep(current: number): void {
    for (const [key, counter] of this.memory) if (current - counter.newest > this.span) this.memory.delete(key);
  }

  private state(
    pool: RateLimitPool,
    points: number,
    admitted: boolean,
    total: number,
    untilResetMs: number,
    countedBucket: number,
    countedShared: boolean,
  ): SlidingState {
    if (points > 0 && !admitted) this.metrics.rateLimitRefused(pool.kind);
    return {
      limit: pool.limit,
      remaining: Math.max(0, pool.limit - total),
      // On the real time, like every resetAt: headers count seconds from Date.now().
      resetAt: new Date(Date.now() + Math.max(0, untilResetMs)),
      allowed: points > 0 ? admitted : total <= pool.limit,
      windowSeconds: this.windowSeconds,
      countedBucket: points > 0 ? countedBucket : -1,
      countedShared,
    };
  }
}
