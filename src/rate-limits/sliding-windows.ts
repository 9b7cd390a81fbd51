import type Redis from 'ioredis';
import { Metrics } from '../observability/metrics';
import { Clock } from '../shared/clock';
import { RateLimitPool, RateLimitState } from './rate-limit-pool';
import { CHARGE_SCRIPT, REFUND_SCRIPT } from './sliding-windows.scripts';

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
 * Only admitted charges are counted: a refused one changes nothing, so
 * steady traffic over the limit cannot keep a pool shut, and the pool opens
 * again as the oldest admitted requests leave the window.
 *
 * With Redis, one script per charge checks and counts atomically (a hash of
 * bucket counts per pool), on Redis's clock: instances never disagree about
 * which bucket it is. There are no leases: a point handed out later than the
 * bucket it was counted in would break the guarantee, and buckets are short,
 * so every charge of a sliding pool is one Redis call (FIXED pools keep their
 * leases). Without Redis, or while it is down, the same counting runs in
 * process memory (per instance, like fixed windows), synchronously.
 */
export const BUCKETS_PER_WINDOW = 60;

export interface SlidingSettings {
  windowSeconds: number;
  keyPrefix: string;
  /** How long counting stays in memory after a failed Redis call. */
  retryMs: number;
}

/** The script's answer: admitted (1/0), what the pool has counted in its window after it, ms until `resetAt`, the bucket. */
type ScriptAnswer = [number, number, number, number];

/** Where each admitted sliding charge was counted, by its state: refunds go back there (and once). */
const countedIn = new WeakMap<RateLimitState, { admitted: boolean; shared: boolean; bucket: number }>();

interface SlidingRedis {
  keywardSlidingCharge(key: string, limit: number, points: number, bucketMs: number, span: number, offsetMs: number): Promise<ScriptAnswer>;
  keywardSlidingRefund(key: string, bucket: number, points: number): Promise<number>;
}

/** One pool's counts in process memory: a ring of span + 1 buckets, the newest at `newest`. */
interface MemoryCounter {
  counts: number[];
  newest: number;
  total: number;
}

/** Idle counters are swept after this many new ones, so memory follows the pools in use. */
const SWEEP_EVERY = 1024;

export class SlidingWindows {
  private readonly windowSeconds: number;
  private readonly bucketMs: number;
  /** Buckets before the current one a charge still counts: together at least one window. */
  private readonly span: number;
  private readonly memory = new Map<string, MemoryCounter>();
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
  }

  /**
   * Gives back `points` of an admitted charge whose state this is (a later
   * check refused the use), to the bucket and store it was counted in. A
   * refund into any other bucket could let more than the limit through in
   * some window, so without the state nothing is given back. Fire and
   * forget: a refund that fails leaves the points counted, which is safe.
   */
  refund(pool: RateLimitPool, points: number, charged: RateLimitState): void {
    const where = countedIn.get(charged);
    if (!where || !where.admitted) return;
    where.admitted = false;
    if (where.shared) {
      const redis = this.redis as unknown as SlidingRedis;
      redis.keywardSlidingRefund(this.keyPrefix + pool.key, where.bucket, points).catch(() => this.metrics.rateLimitStoreFailed());
      return;
    }
    const counter = this.memory.get(pool.key);
    if (!counter || counter.newest - where.bucket > this.span) return;
    const slot = where.bucket % (this.span + 1);
    const given = Math.min(points, counter.counts[slot]);
    counter.counts[slot] -= given;
    counter.total -= given;
  }

  /** Takes `points` if they fit; a refused charge is not counted. */
  charge(pool: RateLimitPool, points: number): RateLimitState | Promise<RateLimitState> {
    return this.count(pool, points);
  }

  /** The pool's state, charging nothing. */
  peek(pool: RateLimitPool): RateLimitState | Promise<RateLimitState> {
    return this.count(pool, 0);
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
    try {
      // Redis's clock decides the bucket; the offset is the server clock's lead (tests move it).
      const offset = this.clock.now() - Date.now();
      answer = await redis.keywardSlidingCharge(this.keyPrefix + pool.key, pool.limit, points, this.bucketMs, this.span, offset);
    } catch {
      this.redisResumesAt = Date.now() + this.retryMs;
      this.metrics.rateLimitCountedInMemory();
      return this.countInMemory(pool, points);
    }
    const [admitted, total, untilReset, bucket] = answer;
    return this.counted(this.state(pool, points, admitted === 1, total, untilReset), admitted === 1, true, bucket);
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
    return this.counted(this.state(pool, points, admitted, counter.total, untilReset), admitted, false, current);
  }

  /** Notes where an admitted charge was counted, for its refund. */
  private counted(state: RateLimitState, admitted: boolean, shared: boolean, bucket: number): RateLimitState {
    if (admitted) countedIn.set(state, { admitted, shared, bucket });
    return state;
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

  private state(pool: RateLimitPool, points: number, admitted: boolean, total: number, untilResetMs: number): RateLimitState {
    if (points > 0 && !admitted) this.metrics.rateLimitRefused(pool.kind);
    return {
      limit: pool.limit,
      remaining: Math.max(0, pool.limit - total),
      // On the real time, like every resetAt: headers count seconds from Date.now().
      resetAt: new Date(Date.now() + Math.max(0, untilResetMs)),
      allowed: points > 0 ? admitted : total <= pool.limit,
      windowSeconds: this.windowSeconds,
    };
  }
}
