import Redis from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { Metrics } from '../observability/metrics';
import { Lease, leaseSize, PoolLeases, usedOf } from './pool-leases';
import { RateLimitPool } from './rate-limit-pool';

/** A pool's state after a charge (or a look): what the RateLimit-* headers and `rateLimit` fields report. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** When the current window ends and the pool is full again. */
  resetAt: Date;
  /** Whether the charge fitted in the pool. A refused charge is still counted. */
  allowed: boolean;
}

export interface RateLimitSettings {
  /** Shared counters in Redis when set; process memory otherwise. */
  redisUrl?: string;
  /** Namespaces the Redis counters, so deployments (and test servers) sharing one Redis never share pools. */
  keyPrefix: string;
  /** The window a plan limit applies to: 60 s, a minute, except in tests. */
  windowSeconds: number;
}

/**
 * Counts pool usage in fixed windows (rate-limiter-flexible): the first
 * charge opens a window of `windowSeconds`, every charge inside it adds up,
 * and when it ends the counter is gone. Charges refused for being over the
 * limit do not extend the window, so steady traffic cannot keep a pool shut.
 *
 * The limiter only counts; the limit is compared here. An account's limit
 * can change at any moment and each pool has its own, so one counter per
 * pool whatever its limit means an operator's new limit applies to the
 * current window at once, in memory and in Redis alike.
 *
 * With Redis, every instance draws from the same counters (one atomic
 * INCRBY+PEXPIRE script per call). When Redis cannot be reached, counting
 * goes on in process memory (rate-limiter-flexible's insurance limiter): per
 * instance, so looser, but requests are never refused for Redis being down.
 *
 * A pool with plenty left takes a few points more than a charge needs and
 * settles the next charges from them in memory (see pool-leases.ts): a busy
 * pool costs one counter call per 129 requests rather than one each, and the
 * pools of all instances together still never admit more than the limit.
 */
export class RateLimitService {
  private readonly limiter: RateLimiterAbstract;
  private readonly redis: Redis | null;
  private readonly windowSeconds: number;
  private readonly leases = new PoolLeases();

  constructor(
    settings: RateLimitSettings,
    private readonly metrics: Metrics,
  ) {
    this.windowSeconds = settings.windowSeconds;
    // Large enough that the limiter never refuses by itself; see the class comment.
    const counting = { points: Number.MAX_SAFE_INTEGER, duration: settings.windowSeconds, keyPrefix: `${settings.keyPrefix}:rl` };
    const memory = new RateLimiterMemory(counting);
    if (!settings.redisUrl) {
      this.redis = null;
      this.limiter = memory;
      return;
    }
    this.redis = new Redis(settings.redisUrl, {
      // A charge waits for at most one reconnection attempt, then the insurance limiter counts it.
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
    });
    // ioredis reconnects by itself; without a listener its errors would crash the process.
    this.redis.on('error', () => this.metrics.rateLimitStoreFailed());
    this.limiter = new RateLimiterRedis({ ...counting, storeClient: this.redis, insuranceLimiter: memory });
  }

  /**
   * Takes `points` from the pool, or counts the attempt and says it did not
   * fit. Answered at once (no promise) when the pool's lease covers it.
   */
  charge(pool: RateLimitPool, points: number): RateLimitState | Promise<RateLimitState> {
    const now = Date.now();
    const lease = this.leases.take(pool.key, points, pool.limit, now);
    if (lease) return leaseState(pool, lease, true);
    return this.chargeCounter(pool, points, now);
  }

  /** The pool's state without charging it. */
  async peek(pool: RateLimitPool): Promise<RateLimitState> {
    const now = Date.now();
    const lease = this.leases.live(pool.key, now);
    if (lease) return leaseState(pool, lease, usedOf(lease) <= pool.limit);
    const result = await this.limiter.get(pool.key);
    if (result === null) {
      return { limit: pool.limit, remaining: pool.limit, resetAt: new Date(now + this.windowSeconds * 1000), allowed: true };
    }
    return {
      limit: pool.limit,
      remaining: Math.max(0, pool.limit - result.consumedPoints),
      resetAt: new Date(now + Math.max(0, result.msBeforeNext)),
      allowed: result.consumedPoints <= pool.limit,
    };
  }

  async close(): Promise<void> {
    if (this.redis && this.redis.status !== 'end') await this.redis.quit().catch(() => this.redis?.disconnect());
  }

  /** Charges the counter itself, with a lease on top while the pool has plenty left. */
  private async chargeCounter(pool: RateLimitPool, points: number, startedAt: number): Promise<RateLimitState> {
    const known = this.leases.live(pool.key, startedAt);
    const extra = leaseSize(pool.limit - (known ? usedOf(known) : 0) - points);
    const result: RateLimiterRes = await this.limiter.consume(pool.key, points + extra);
    const before = result.consumedPoints - points - extra;
    const allowed = before + points <= pool.limit;
    const spare = allowed ? Math.min(extra, pool.limit - before - points) : 0;
    // Counted from before the call: the counter's window cannot end earlier than that.
    const lease = this.leases.keep(pool.key, result.consumedPoints, spare, startedAt + Math.max(0, result.msBeforeNext), Date.now());
    if (!allowed) this.metrics.rateLimitRefused(pool.kind);
    return leaseState(pool, lease, allowed);
  }
}

function leaseState(pool: RateLimitPool, lease: Lease, allowed: boolean): RateLimitState {
  return {
    limit: pool.limit,
    remaining: Math.max(0, pool.limit - usedOf(lease)),
    resetAt: new Date(lease.endsAt),
    allowed,
  };
}

/** Whole seconds until the pool is full again (RateLimit-Reset, Retry-After): never 0 while it is empty. */
export function secondsUntilReset(state: RateLimitState): number {
  return Math.max(1, Math.ceil((state.resetAt.getTime() - Date.now()) / 1000));
}
