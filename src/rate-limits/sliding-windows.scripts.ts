/** The Redis scripts of sliding windows (sliding-windows.ts): each runs atomically, on Redis's clock. */

/**
 * KEYS[1]: the pool's hash: bucket index -> points admitted in it, and
 * `total` (their sum), `newest` (the bucket of the last call) and `last` (the
 * last bucket anything was admitted in), so that a charge reads two fields
 * and writes three instead of summing every bucket: the buckets that left
 * the window since the last call are taken off (one, mostly).
 * ARGV: limit, points (0: only look), bucket ms, span, clock offset ms (the
 * server clock's lead over the real time: 0 but in tests), and the most
 * points to take beyond an admitted charge for a lease (see leaseSize).
 * Answer: admitted (1/0), the pool's count after it, ms until the reset, the
 * bucket counted in, the lease's points, ms until that bucket ends.
 * Reset: for an admitted charge or a look, when the pool is full again (its
 * last counted bucket leaves); for a refused one, when it would fit (the one
 * case that reads every bucket).
 */
export const CHARGE_SCRIPT = `
local limit = tonumber(ARGV[1])
local points = tonumber(ARGV[2])
local bucketMs = tonumber(ARGV[3])
local span = tonumber(ARGV[4])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + tonumber(ARGV[5])
local current = math.floor(now / bucketMs)
local real = current
local meta = redis.call('HMGET', KEYS[1], 'total', 'newest', 'last')
local total = tonumber(meta[1]) or 0
local newest = tonumber(meta[2])
local last = tonumber(meta[3])
if newest ~= nil and current < newest then
  -- A clock stepped back: count in the newest bucket, holding points longer is always safe.
  current = newest
elseif newest ~= nil and current > newest then
  if current - newest > span then
    redis.call('DEL', KEYS[1])
    total = 0
    last = nil
  else
    for bucket = newest - span, current - span - 1 do
      local count = redis.call('HGET', KEYS[1], tostring(bucket))
      if count then
        total = total - tonumber(count)
        redis.call('HDEL', KEYS[1], tostring(bucket))
      end
    end
  end
end
local admitted = 0
local spare = 0
if points > 0 and total + points <= limit then
  -- A lease only in the bucket of now: its points are handed out before that bucket ends.
  if current == real then spare = math.min(tonumber(ARGV[6]), math.floor((limit - total - points) / 32)) end
  redis.call('HINCRBY', KEYS[1], tostring(current), points + spare)
  total = total + points + spare
  last = current
  admitted = 1
end
if total > 0 then
  redis.call('HSET', KEYS[1], 'total', total, 'newest', current, 'last', last)
  redis.call('PEXPIRE', KEYS[1], (span + 2) * bucketMs)
else
  redis.call('DEL', KEYS[1])
  last = nil
end
local resetBucket = last
if points > 0 and admitted == 0 and total > 0 then
  local freed = 0
  for bucket = current - span, current do
    local count = tonumber(redis.call('HGET', KEYS[1], tostring(bucket)) or '0')
    freed = freed + count
    if count > 0 and total - freed + points <= limit then
      resetBucket = bucket
      break
    end
  end
end
local untilReset = span * bucketMs
if resetBucket ~= nil then untilReset = (resetBucket + span + 1) * bucketMs - now end
return { admitted, total, untilReset, current, spare, (real + 1) * bucketMs - now }
`;

/**
 * Gives back points an admitted charge counted in bucket ARGV[1], while the
 * bucket is still counted: never more than it holds, so what other charges
 * were admitted on stays counted.
 */
export const REFUND_SCRIPT = `
local field = ARGV[1]
local count = tonumber(redis.call('HGET', KEYS[1], field) or '0')
local points = math.min(tonumber(ARGV[2]), count)
if points <= 0 then return 0 end
redis.call('HINCRBY', KEYS[1], field, -points)
redis.call('HINCRBY', KEYS[1], 'total', -points)
return points
`;

/** The charge script's answer (see sliding-windows.scripts.ts). */
export type ScriptAnswer = [admitted: number, total: number, untilResetMs: number, bucket: number, spare: number, untilBucketEndMs: number];

/** The scripts as ioredis commands (defineCommand). */
export interface SlidingRedis {
  keywardSlidingCharge(
    key: string,
    limit: number,
    points: number,
    bucketMs: number,
    span: number,
    offsetMs: number,
    leaseWanted: number,
  ): Promise<ScriptAnswer>;
  keywardSlidingRefund(key: string, bucket: number, points: number): Promise<number>;
}
