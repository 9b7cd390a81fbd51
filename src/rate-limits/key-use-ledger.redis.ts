import Redis from 'ioredis';
import { CreditsOutcome, KeyUseDemand, KeyUseOutcome, nextRefillOf, refillPeriodOf, windowOf } from './key-use-ledger';
import { KeyUseRules } from './key-use-rules';

/**
 * One use of a key, judged and charged in one step inside Redis, so that
 * instances sharing the Redis never admit more than a key's credits or a
 * named limit allow. The credits follow CreditCount's rules (key-use-ledger.ts);
 * each named limit is one counter per fixed window.
 *
 * KEYS: [credit count (a hash: r, at) or a placeholder, one counter per named limit charged]
 * ARGV: commit, has credits, credit cost, row remaining, row lastRefillAt,
 *       refill period start (-1: none), refill amount, credit TTL ms,
 *       then per limit: limit, cost, TTL ms
 * Returns: allowed, credits allowed, remaining, count time, changed, exhausted, then per limit: used after, allowed.
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
local ok = creditsOk
local used = {}
local fits = {}
for i = 2, #KEYS do
  local base = 8 + (i - 2) * 3
  local u = tonumber(redis.call('GET', KEYS[i]) or '0')
  used[i] = u
  if u + tonumber(ARGV[base + 2]) > tonumber(ARGV[base + 1]) then
    fits[i] = 0
    ok = 0
  else
    fits[i] = 1
  end
end
local exhausted = 0
if ok == 1 and commit then
  if hasCredits and cost > 0 then
    r = r - cost
    changed = 1
    if r == 0 then exhausted = 1 end
  end
  for i = 2, #KEYS do
    local base = 8 + (i - 2) * 3
    local c = tonumber(ARGV[base + 2])
    if c > 0 then
      used[i] = redis.call('INCRBY', KEYS[i], c)
      redis.call('PEXPIRE', KEYS[i], ARGV[base + 3])
    end
  end
end
if hasCredits and changed == 1 then
  redis.call('HSET', KEYS[1], 'r', r, 'at', at)
  redis.call('PEXPIRE', KEYS[1], ARGV[8])
end
local answer = { ok, creditsOk, r, at, changed, exhausted }
for i = 2, #KEYS do
  answer[#answer + 1] = used[i]
  answer[#answer + 1] = fits[i]
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
    ];
    for (const { rule, cost } of demand.limits) {
      keys.push(`${this.keyPrefix}:ku:l:${rules.keyId}:${rule.name}:${windowOf(rule, nowMs)}`);
      // Kept a window longer than it counts: a clock a little behind still finds it.
      args.push(rule.limit, cost, rule.durationMs * 2);
    }
    const call = (this.redis as unknown as ChargeCommand).keywardChargeKeyUse;
    const answer = await call.call(this.redis, keys.length, ...keys, ...args);
    const [ok, creditsOk, remaining, atMs, changed, exhausted] = answer;
    const creditsOutcome: CreditsOutcome | null = credits
      ? { allowed: creditsOk === 1, remaining, nextRefillAtMs: nextRefillOf(credits, nowMs) }
      : null;
    return {
      allowed: ok === 1,
      credits: creditsOutcome,
      limits: demand.limits.map(({ rule }, i) => {
        const window = windowOf(rule, nowMs);
        return {
          rule,
          allowed: answer[7 + i * 2] === 1,
          remaining: Math.max(0, rule.limit - answer[6 + i * 2]),
          resetAtMs: (window + 1) * rule.durationMs,
        };
      }),
      exhausted: exhausted === 1,
      nowMs,
      written: credits && changed === 1 ? { remaining, atMs } : null,
    };
  }
}

interface ChargeCommand {
  keywardChargeKeyUse(this: Redis, numberOfKeys: number, ...keysAndArgs: Array<string | number>): Promise<number[]>;
}
