import type Redis from 'ioredis';
import { Metrics } from '../observability/metrics';
import { Clock } from '../shared/clock';
import { RateLimitPool, RateLimitState } from './rate-limit-pool';

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

/** The script's answer: admitted (1/0), what the pool has counted in its window after it, ms until `resetAt`. */
type ScriptAnswer = [number, number, number];

interface SlidingRedis {
  keywardSlidingCharge(key: string, limit: number, points: number, bucketMs: number, span: number, offsetMs: number): Promise<ScriptAnswer>;
}

/**
 * KEYS[1]: the pool's hash (bucket index -> points admitted in it).
 * ARGV: limit, points (0: only look), bucket ms, span, clock offset ms (the
 * server clock's lead over the real time: 0 but in tests).
 * Reset: for an admitted charge or a look, when the pool is full again (its
 * newest counted bucket leaves); for a refused one, when it would fit.
 */
const CHARGE_SCRIPT = `
local limit = tonumber(ARGV[1])
local points = tonumber(ARGV[2])
local bucketMs = tonumber(ARGV[3])
local span = tonumber(ARGV[4])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + tonumber(ARGV[5])
local current = math.floor(now / bucketMs)
local oldest = current - span
-- Buckets newer than now (a clock stepped back) still count: holding points longer is always safe.
local flat = redis.call('HGETALL', KEYS[1])
local buckets = {}
local counts = {}
local stale = {}
local total = 0
for i = 1, #flat, 2 do
  local bucket = tonumber(flat[i])
  local count = tonumber(flat[i + 1])
  if bucket < oldest then
    stale[#stale + 1] = flat[i]
  elseif count > 0 then
    buckets[#buckets + 1] = bucket
    counts[bucket] = count
    total = total + count
  end
end
if #stale > 0 then redis.call('HDEL', KEYS[1], unpack(stale)) end
local admitted = 0
if points > 0 and total + points <= limit then
  redis.call('HINCRBY', KEYS[1], tostring(current), points)
  redis.call('PEXPIRE', KEYS[1], (span + 2) * bucketMs)
  if counts[current] == nil then
    buckets[#buckets + 1] = current
    counts[current] = 0
  end
  counts[current] = counts[current] + points
  total = total + points
  admitted = 1
end
table.sort(buckets)
local resetBucket = nil
if points > 0 and admitted == 0 then
  local freed = 0
  for _, bucket in ipairs(buckets) do
    freed = freed + counts[bucket]
    if total - freed + points <= limit then
      resetBucket = bucket
      break
    end
  end
end
if resetBucket == nil then resetBucket = buckets[#buckets] end
local untilReset = span * bucketMs
if resetBucket ~= nil then untilReset = (resetBucket + span + 1) * bucketMs - now end
return { admitted, total, untilReset }
`;

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
    const [admitted, total, untilReset] = answer;
    return this.state(pool, points, admitted === 1, total, untilReset);
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
    return this.state(pool, points, admitted, counter.total, untilReset);
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
