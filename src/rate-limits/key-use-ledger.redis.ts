import Redis from 'ioredis';
import { CreditsOutcome, KeyUseDemand, KeyUseOutcome, nextRefillOf, refillPeriodOf, slidingShape } from './key-use-ledger';
import { KeyUseRules } from './key-use-rules';

/**
 * One use of a key, judged and charged in one step inside Redis, so that
 * instances sharing the Redis never admit more than a key's credits or a
 * named limit allow. The credits follow CreditCount's rules (key-use-ledger.ts);
 * each named limit is a sliding window of buckets (judgeSliding, key-use-ledger.ts).
 *
 * KEYS: [credit count (a hash: r, at) or a placeholder, per named limit charged its buckets (a hash: bucket -> admitted)]
 * ARGV: commit, has credits, credit cost, row remaining, row lastRefillAt,
 *       refill period start (-1: none), refill amount, credit TTL ms,
 *       the server clock's lead over the real time (0 but in tests),
 *       then per limit: limit, cost, bucket ms, span (see judgeSliding)
 * Returns: allowed, credits allowed, remaining, count time, changed, exhausted,
 *          then per limit: counted after, fits, resetAt (epoch ms, judgeSliding's).
 * Buckets are numbered on Redis's clock, so instances never disagree about which bucket it is.
 */
const CHARGE_SCRIPT = `
local commit = ARGV[1] == '1'
local hasCredits = ARGV[2] == '1'
local cost = tonumber(ARGV[3])
local r, at, changed = 0, 0, 0
local creditsOk = 1
if hasCredits then
  local s = redis.call('HMGET', KEYS[1], 'r', 'at')
  r = tonumber(s[1])
  at = tonumber(s[2])
  local rowAt = tonumber(ARGV[5])
  if r == nil or at == nil or rowAt > at then
    r = tonumber(ARGV[4])
    at = rowAt
    changed = 1
  end
  local period = tonumber(ARGV[6])
  if period > at then
    r = tonumber(ARGV[7])
    at = period
    changed = 1
  end
  if cost > r then creditsOk = 0 end
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + tonumber(ARGV[9])
local ok = creditsOk
local limits = {}
for i = 2, #KEYS do
  local base = 9 + (i - 2) * 4
  local l = { limit = tonumber(ARGV[base + 1]), cost = tonumber(ARGV[base + 2]), bucketMs = tonumber(ARGV[base + 3]), span = tonumber(ARGV[base + 4]) }
  l.current = math.floor(now / l.bucketMs)
  local oldest = l.current - l.span
  local flat = redis.call('HGETALL', KEYS[i])
  local stale = {}
  l.buckets = {}
  l.counts = {}
  l.total = 0
  for j = 1, #flat, 2 do
    local bucket = tonumber(flat[j])
    local count = tonumber(flat[j + 1])
    if bucket < oldest then
      stale[#stale + 1] = flat[j]
    elseif count > 0 then
      l.buckets[#l.buckets + 1] = bucket
      l.counts[bucket] = count
      l.total = l.total + count
    end
  end
  if #stale > 0 then redis.call('HDEL', KEYS[i], unpack(stale)) end
  l.fits = l.total + l.cost <= l.limit
  if not l.fits then ok = 0 end
  limits[i] = l
end
local exhausted = 0
local admitted = ok == 1 and commit
if admitted then
  if hasCredits and cost > 0 then
    r = r - cost
    changed = 1
    if r == 0 then exhausted = 1 end
  end
  for i = 2, #KEYS do
    local l = limits[i]
    if l.cost > 0 then
      redis.call('HINCRBY', KEYS[i], tostring(l.current), l.cost)
      redis.call('PEXPIRE', KEYS[i], (l.span + 2) * l.bucketMs)
      if l.counts[l.current] == nil then
        l.buckets[#l.buckets + 1] = l.current
        l.counts[l.current] = 0
      end
      l.counts[l.current] = l.counts[l.current] + l.cost
      l.total = l.total + l.cost
    end
  end
end
if hasCredits and changed == 1 then
  redis.call('HSET', KEYS[1], 'r', r, 'at', at)
  redis.call('PEXPIRE', KEYS[1], ARGV[8])
end
local answer = { ok, creditsOk, r, at, changed, exhausted }
for i = 2, #KEYS do
  local l = limits[i]
  table.sort(l.buckets)
  local resetBucket = l.buckets[#l.buckets]
  if not admitted and l.cost > 0 then
    local freed = 0
    for _, bucket in ipairs(l.buckets) do
      freed = freed + l.counts[bucket]
      if l.total - freed + l.cost <= l.limit then
        resetBucket = bucket
        break
      end
    end
  end
  local resetAt = now
  if resetBucket ~= nil then resetAt = (resetBucket + l.span + 1) * l.bucketMs end
  answer[#answer + 1] = l.total
  answer[#answer + 1] = l.fits and 1 or 0
  answer[#answer + 1] = resetAt
end
return answer
`;

/**
 * A credit count idle this long is dropped from Redis; its next use starts
 * again from the row, which the write-behind brought up to date long before.
 */
const CREDIT_TTL_MS = 30 * 86_400_000;

export class RedisKeyUseLedger {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {
    redis.defineCommand('keywardChargeKeyUse', { lua: CHARGE_SCRIPT });
  }

  async charge(rules: KeyUseRules, demand: KeyUseDemand, commit: boolean, nowMs: number): Promise<KeyUseOutcome> {
    const { credits } = rules;
    const keys = [credits ? `${this.keyPrefix}:ku:c:${rules.keyId}` : `${this.keyPrefix}:ku:none`];
    const args: Array<string | number> = [
      commit ? '1' : '0',
      credits ? '1' : '0',
      demand.credits,
      credits?.remaining ?? 0,
      credits?.lastRefillAtMs ?? 0,
      credits ? refillPeriodOf(credits, nowMs) : -1,
      credits?.refillAmount ?? 0,
      CREDIT_TTL_MS,
      nowMs - Date.now(),
    ];
    for (const { rule, cost } of demand.limits) {
      const { bucketMs, span } = slidingShape(rule);
      // The bucket size in the name: a limit given another duration counts afresh, never in buckets of another size.
      keys.push(`${this.keyPrefix}:ku:s:${rules.keyId}:${bucketMs}:${rule.name}`);
      args.push(rule.limit, cost, bucketMs, span);
    }
    const call = (this.redis as unknown as ChargeCommand).keywardChargeKeyUse;
    const answer = await call.call(this.redis, keys.length, ...keys, ...args);
    const [ok, creditsOk, remaining, atMs, changed, exhausted] = answer;
    const creditsOutcome: CreditsOutcome | null = credits
      ? { allowed: creditsOk === 1, remaining, atMs, nextRefillAtMs: nextRefillOf(credits, nowMs) }
      : null;
    return {
      allowed: ok === 1,
      credits: creditsOutcome,
      limits: demand.limits.map(({ rule }, i) => ({
        rule,
        allowed: answer[7 + i * 3] === 1,
        remaining: Math.max(0, rule.limit - answer[6 + i * 3]),
        resetAtMs: answer[8 + i * 3],
      })),
      exhausted: exhausted === 1,
      nowMs,
      written: credits && changed === 1 ? { remaining, atMs } : null,
    };
  }
}

interface ChargeCommand {
  keywardChargeKeyUse(this: Redis, numberOfKeys: number, ...keysAndArgs: Array<string | number>): Promise<number[]>;
}
