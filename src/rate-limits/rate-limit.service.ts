import Redis from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { Metrics } from '../observability/metrics';
import { RateLimitedError } from '../shared/errors';
import { Lease, leaseSize, PoolLeases, usedOf } from './pool-leases';
import { RateLimitPool, RateLimitState } from './rate-limit-pool';
import { Clock, systemClock } from '../shared/clock';
import { SlidingWindows } from './sliding-windows';

// Where a pool's state is defined (sliding-windows.ts shares it); re-exported for everyone who charges pools.
export type { RateLimitState } from './rate-limit-pool';

export interface RateLimitSettings {
  /** Shared counters in Redis when set; process memory otherwise. */
  redisUrl?: string;
  /** Namespaces the Redis counters, so deployments (and test servers) sharing one Redis never share pools. */
  keyPrefix: string;
  /** The window a plan limit applies to: 60 s, a minute, except in tests. */
  windowSeconds: number;
}

/**
 * Counts pool usage in fixed windows (rate-limiter-flexible), or for the
 * pools of accounts whose plan says SLIDING in sliding ones (see
 * sliding-windows.ts; everything below is about fixed windows): the first
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
 * goes on in process memory at once: per instance, so looser, but requests
 * are never refused, nor kept waiting, for Redis being down
 * (keyward_rate_limit_memory_counts_total says how often).
 *
 * A pool with plenty left takes a few points more than a charge needs and
 * settles the next charges from them in memory (see pool-leases.ts): a busy
 * pool costs one counter call per 129 requests rather than one each, and the
 * pools of all instances together still never admit more than the limit.
 * Each instance has at most one counter call in flight per pool: a burst
 * waits for it and shares its lease, so N concurrent charges on a pool with
 * L left admit min(N, L), less at most one lease per instance.
 */
/**
 * How long a Redis call or connection may take before the charge is counted
 * in memory instead: a local Redis answers in well under a millisecond.
 */
const REDIS_TIMEOUT_MS = 250;
/** After a failed call, how long counting stays in memory before Redis is tried again. */
const REDIS_RETRY_MS = 1_000;

export class RateLimitService {
  private readonly memory: RateLimiterMemory;
  private readonly shared: RateLimiterRedis | null;
  private readonly redis: Redis | null;
  private readonly windowSeconds: number;
  private readonly leases = new PoolLeases();
  /** Pools of accounts whose plan says SLIDING: counted there, without leases. */
  private readonly sliding: SlidingWindows;
  /** Charges waiting for the counter call in flight for their pool: at most one call per pool at a time. */
  private readonly waiting = new Map<string, WaitingCharge[]>();
  /** After a failed Redis call, counting stays in memory until then (epoch ms), so one stall is paid once. */
  private redisResumesAt = 0;

  constructor(
    settings: RateLimitSettings,
    private readonly metrics: Metrics,
    clock: Clock = systemClock,
  ) {
    this.windowSeconds = settings.windowSeconds;
    // Large enough that the limiter never refuses by itself; see the class comment.
    const counting = { points: Number.MAX_SAFE_INTEGER, duration: settings.windowSeconds, keyPrefix: `${settings.keyPrefix}:rl` };
    this.memory = new RateLimiterMemory(counting);
    const sliding = { windowSeconds: settings.windowSeconds, keyPrefix: settings.keyPrefix, retryMs: REDIS_RETRY_MS };
    if (!settings.redisUrl) {
      this.redis = null;
      this.shared = null;
      this.sliding = new SlidingWindows(sliding, clock, metrics, null);
      return;
    }
    this.redis = new Redis(settings.redisUrl, {
      // While not connected, a call fails at once (and is counted in memory) instead of queueing for a reconnection.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: REDIS_TIMEOUT_MS,
      commandTimeout: REDIS_TIMEOUT_MS,
    });
    // ioredis reconnects by itself; without a listener its errors would crash the process.
    this.redis.on('error', () => this.metrics.rateLimitStoreFailed());
    this.shared = new RateLimiterRedis({ ...counting, storeClient: this.redis });
    this.sliding = new SlidingWindows(sliding, clock, metrics, this.redis);
  }

  /**
   * Resolves once Redis is ready, or has failed once, or after REDIS_TIMEOUT_MS
   * (a server that accepts and never answers): the server starts either way,
   * counting in memory until Redis answers.
   */
  connected(): Promise<void> {
    // 'reconnecting': a connection attempt has failed already.
    if (!this.redis || ['ready', 'reconnecting', 'end'].includes(this.redis.status)) return Promise.resolve();
    return firstEvent(this.redis, ['ready', 'error', 'end'], REDIS_TIMEOUT_MS);
  }

  /**
   * Takes `points` from the pool, or counts the attempt and says it did not
   * fit. Answered at once (no promise) when the pool's lease covers it.
   */
  charge(pool: RateLimitPool, points: number): RateLimitState | Promise<RateLimitState> {
    if (pool.sliding) return this.sliding.charge(pool, points);
    const lease = this.leases.take(pool.key, points, pool.limit, Date.now());
    if (lease) return leaseState(pool, lease, true, this.windowSeconds);
    return new Promise((resolve, reject) => {
      const charge = { points, resolve, reject };
      const queue = this.waiting.get(pool.key);
      if (queue) queue.push(charge);
      else this.countCharges(pool, [charge]);
    });
  }

  /**
   * Gives back `points` a charge took, when a later check refused the use
   * (see key-charge.ts): they return to this instance's lease, counted as
   * used by the shared counter but settled by the next charges here, so the
   * pools of all instances still never admit more than the limit. After the
   * window ended there is nothing to give back to.
   */
  refund(pool: RateLimitPool, points: number, charged?: RateLimitState): void {
    // A sliding pool gives points back only to the bucket they were counted in, which `charged` names:
    // taking them from a later one could let more than the limit through within one window.
    if (pool.sliding) return charged ? this.sliding.refund(pool, points, charged) : undefined;
    const lease = this.leases.live(pool.key, Date.now());
    if (lease) lease.left += Math.min(points, usedOf(lease));
  }

  /** The pool's state without charging it; at once (no promise) while this instance holds a lease of it. */
  peek(pool: RateLimitPool): RateLimitState | Promise<RateLimitState> {
    if (pool.sliding) return this.sliding.peek(pool);
    const now = Date.now();
    const lease = this.leases.live(pool.key, now);
    if (lease) return leaseState(pool, lease, usedOf(lease) <= pool.limit, this.windowSeconds);
    return this.readCounter(pool, now);
  }

  private async readCounter(pool: RateLimitPool, now: number): Promise<RateLimitState> {
    const result = await this.counter((limiter) => limiter.get(pool.key));
    if (result === null) {
      const resetAt = new Date(now + this.windowSeconds * 1000);
      return { limit: pool.limit, remaining: pool.limit, resetAt, allowed: true, windowSeconds: this.windowSeconds };
    }
    return {
      limit: pool.limit,
      remaining: Math.max(0, pool.limit - result.consumedPoints),
      resetAt: new Date(now + Math.max(0, result.msBeforeNext)),
      allowed: result.consumedPoints <= pool.limit,
      windowSeconds: this.windowSeconds,
    };
  }

  async close(): Promise<void> {
    if (this.redis && this.redis.status !== 'end') await this.redis.quit().catch(() => this.redis?.disconnect());
  }

  /**
   * One counter call for `charges`; charges that arrive meanwhile wait for it
   * and are then settled from the lease it brought, the rest by one call
   * more. Concurrent misses would otherwise each take a lease of their own,
   * and a burst would reserve many times what it uses.
   */
  private countCharges(pool: RateLimitPool, charges: WaitingCharge[]): void {
    const queue: WaitingCharge[] = [];
    this.waiting.set(pool.key, queue);
    this.chargeCounter(
      pool,
      charges.map((c) => c.points),
    )
      .then(
        (states) => states.forEach((state, i) => charges[i].resolve(state)),
        (error: unknown) => charges.forEach((c) => c.reject(error)),
      )
      .then(() => {
        this.waiting.delete(pool.key);
        const now = Date.now();
        const rest = queue.filter((charge) => {
          const lease = this.leases.take(pool.key, charge.points, pool.limit, now);
          if (lease) charge.resolve(leaseState(pool, lease, true, this.windowSeconds));
          return !lease;
        });
        if (rest.length > 0) this.countCharges(pool, rest);
      });
  }

  /** Charges the counter itself for charges in order, with a lease on top while the pool has plenty left. */
  private async chargeCounter(pool: RateLimitPool, points: number[]): Promise<RateLimitState[]> {
    const startedAt = Date.now();
    const total = points.reduce((sum, p) => sum + p, 0);
    const known = this.leases.live(pool.key, startedAt);
    const extra = leaseSize(pool.limit - (known ? usedOf(known) : 0) - total);
    const result: RateLimiterRes = await this.counter((limiter) => limiter.consume(pool.key, total + extra));
    // Each charge is judged as if it had been counted alone, in order: refused ones still count.
    let counted = result.consumedPoints - total - extra;
    const used = points.map((p) => (counted += p));
    const spare = counted <= pool.limit ? Math.min(extra, pool.limit - counted) : 0;
    // Counted from before the call: the counter's window cannot end earlier than that.
    const lease = this.leases.keep(pool.key, result.consumedPoints, spare, startedAt + Math.max(0, result.msBeforeNext), Date.now());
    // Points this instance held before the call are not used yet.
    const held = lease.left - spare;
    return used.map((usedAfter) => {
      const allowed = usedAfter <= pool.limit;
      if (!allowed) this.metrics.rateLimitRefused(pool.kind);
      const remaining = Math.max(0, pool.limit - usedAfter + held);
      return { limit: pool.limit, remaining, resetAt: new Date(lease.endsAt), allowed, windowSeconds: this.windowSeconds };
    });
  }

  /**
   * Redis when it is ready and has not just failed, process memory otherwise:
   * a call never waits for a reconnection, and a Redis that stops answering
   * costs one call REDIS_TIMEOUT_MS per REDIS_RETRY_MS, not every call.
   */
  private async counter<T>(call: (limiter: RateLimiterAbstract) => Promise<T>): Promise<T> {
    if (this.shared && this.redis?.status === 'ready' && Date.now() >= this.redisResumesAt) {
      try {
        return await call(this.shared);
      } catch {
        this.redisResumesAt = Date.now() + REDIS_RETRY_MS;
      }
    }
    if (this.shared) this.metrics.rateLimitCountedInMemory();
    return call(this.memory);
  }
}

interface WaitingCharge {
  points: number;
  resolve(state: RateLimitState): void;
  reject(error: unknown): void;
}

/** Resolves at the first of `events`, or after `ms`. */
function firstEvent(emitter: Redis, events: string[], ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      for (const event of events) emitter.off(event, done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    for (const event of events) emitter.once(event, done);
  });
}

function leaseState(pool: RateLimitPool, lease: Lease, allowed: boolean, windowSeconds: number): RateLimitState {
  return {
    limit: pool.limit,
    remaining: Math.max(0, pool.limit - usedOf(lease)),
    resetAt: new Date(lease.endsAt),
    allowed,
    windowSeconds,
  };
}

/** The refusal of a charge that did not fit: 429 RATE_LIMITED, retry when the window ends. */
export function rateLimitedError(pool: RateLimitPool, state: RateLimitState): RateLimitedError {
  const seconds = secondsUntilReset(state);
  return new RateLimitedError(
    `Rate limit of ${state.limit} requests per window exceeded for this ${pool.kind}'s pool; retry in ${seconds} s`,
    seconds,
  );
}

/** Whole seconds until the pool is full again (RateLimit-Reset, Retry-After): never 0 while it is empty. */
export function secondsUntilReset(state: RateLimitState): number {
  return Math.max(1, Math.ceil((state.resetAt.getTime() - Date.now()) / 1000));
}
