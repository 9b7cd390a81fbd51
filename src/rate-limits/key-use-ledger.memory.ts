import { KeyCredits, KeyLimitRule, KeyUseRules } from './key-use-rules';
import {
  CreditCount,
  countFromRow,
  judgeSliding,
  KeyUseDemand,
  KeyUseOutcome,
  LimitOutcome,
  nextRefillOf,
  refillPeriodOf,
  slidingShape,
} from './key-use-ledger';

/**
 * Credits and named limits counted in this process's memory: exact for one
 * process (every charge is judged and applied synchronously, so concurrent
 * requests cannot both take the last credit), per instance when several run
 * without Redis, and what the Redis ledger falls back to while Redis is down.
 *
 * On the hot path of every use of a key with credits or named limits, so it
 * keeps running figures instead of recounting: a limit's total of admitted
 * uses and its newest bucket, a credit count's refill period. A charge
 * allocates only its answer.
 */
export class MemoryKeyUseLedger {
  private readonly credits = new Map<number, MemoryCreditCount>();
  /** Per key, per limit name: the window counted and its uses. */
  private readonly windows = new Map<number, Map<string, SlidingCount>>();
  private charges = 0;

  charge(rules: KeyUseRules, demand: KeyUseDemand, commit: boolean, nowMs: number): KeyUseOutcome {
    const count = rules.credits === null ? null : this.creditCount(rules.keyId, rules.credits, nowMs);
    let changed = count !== null && count.fresh;
    if (count !== null) count.fresh = false;
    const creditsAllowed = count === null || demand.credits <= count.remaining;
    const n = demand.limits.length;
    const windows: SlidingCount[] = new Array(n);
    const limits: LimitOutcome[] = new Array(n);
    let limitsAllowed = true;
    for (let i = 0; i < n; i++) {
      const { rule, cost } = demand.limits[i];
      const window = this.countsOf(rules.keyId, rule, nowMs);
      const fits = window.total + cost <= rule.limit;
      if (!fits) limitsAllowed = false;
      windows[i] = window;
      limits[i] = { rule, allowed: fits, remaining: 0, resetAtMs: 0 };
    }
    const allowed = creditsAllowed && limitsAllowed;
    let exhausted = false;
    if (allowed && commit) {
      if (count !== null && demand.credits > 0) {
        count.remaining -= demand.credits;
        changed = true;
        exhausted = count.remaining === 0;
      }
      for (let i = 0; i < n; i++) admit(windows[i], demand.limits[i].cost, nowMs);
    }
    for (let i = 0; i < n; i++) {
      const { rule, cost } = demand.limits[i];
      const limit = limits[i];
      limit.remaining = Math.max(0, rule.limit - windows[i].total);
      limit.resetAtMs = resetAt(windows[i], rule, limit.allowed ? 0 : cost, nowMs);
    }
    if (++this.charges % SWEEP_EVERY === 0) this.sweep(nowMs);
    return {
      allowed,
      credits:
        count === null
          ? null
          : { allowed: creditsAllowed, remaining: count.remaining, atMs: count.atMs, nextRefillAtMs: count.nextRefillAtMs },
      limits,
      exhausted,
      nowMs,
      written: changed && count !== null ? { remaining: count.remaining, atMs: count.atMs } : null,
    };
  }

  /**
   * The key's credit count as its next charge would find it. A look, not a
   * use: a key this process has not counted gets no count kept for it.
   */
  creditsNow(keyId: number, credits: KeyCredits, nowMs: number): CreditCount {
    const known = this.credits.get(keyId);
    if (known === undefined || credits.lastRefillAtMs > known.atMs) return countFromRow(credits, nowMs);
    const count = this.creditCount(keyId, credits, nowMs);
    return { remaining: count.remaining, atMs: count.atMs };
  }

  /** Forgets every count, so the next uses start from the keys' rows (a Redis that came back). */
  forgetAll(): void {
    this.credits.clear();
    this.windows.clear();
  }

  /** The key's count by CreditCount's rules, its refill period looked up only when the period it knows has ended. */
  private creditCount(keyId: number, credits: KeyCredits, nowMs: number): MemoryCreditCount {
    let count = this.credits.get(keyId);
    if (count === undefined || credits.lastRefillAtMs > count.atMs) {
      count = {
        remaining: credits.remaining,
        atMs: credits.lastRefillAtMs,
        nextRefillAtMs: null,
        periodKnownFromMs: Infinity,
        periodKnownUntilMs: -Infinity,
        fresh: true,
      };
      this.credits.set(keyId, count);
    }
    if (nowMs < count.periodKnownFromMs || nowMs >= count.periodKnownUntilMs) {
      const period = refillPeriodOf(credits, nowMs);
      if (period > count.atMs && credits.refillAmount !== null) {
        count.remaining = credits.refillAmount;
        count.atMs = period;
        count.fresh = true;
      }
      count.nextRefillAtMs = nextRefillOf(credits, nowMs);
      // Without a refill nothing changes with time; with one, nothing until the next.
      count.periodKnownFromMs = period === -1 ? -Infinity : period;
      count.periodKnownUntilMs = count.nextRefillAtMs ?? Infinity;
    }
    return count;
  }

  private countsOf(keyId: number, rule: KeyLimitRule, nowMs: number): SlidingCount {
    let named = this.windows.get(keyId);
    if (!named) this.windows.set(keyId, (named = new Map()));
    let count = named.get(rule.name);
    // A limit given another duration counts afresh: buckets of another size mean other times.
    if (!count || count.durationMs !== rule.durationMs) {
      const { bucketMs, span } = slidingShape(rule);
      named.set(
        rule.name,
        (count = { counts: new Map(), total: 0, newest: 0, durationMs: rule.durationMs, bucketMs, span, touchedMs: nowMs }),
      );
    }
    count.touchedMs = nowMs;
    expire(count, nowMs);
    return count;
  }

  /** Limits untouched for longer than any duration counts are dropped, so memory follows the keys in use; credit counts stay. */
  private sweep(nowMs: number): void {
    for (const [keyId, named] of this.windows) {
      for (const [name, count] of named) if (count.touchedMs < nowMs - IDLE_MS) named.delete(name);
      if (named.size === 0) this.windows.delete(keyId);
    }
  }
}

/** A credit count in memory, and how long its refill period is known to last (epoch ms). */
interface MemoryCreditCount extends CreditCount {
  nextRefillAtMs: number | null;
  /** Within [from, until) the refill period (and so the count's refill) cannot change: not looked up again. */
  periodKnownFromMs: number;
  periodKnownUntilMs: number;
  /** Set from the row or refilled since the last write-behind looked: the next charge reports it written. */
  fresh: boolean;
}

/**
 * A named limit's admissions per bucket (in the order the buckets were first
 * counted, which is time order), their total, the newest bucket counted, and
 * when it was last charged. See judgeSliding for the rule.
 */
interface SlidingCount {
  counts: Map<number, number>;
  total: number;
  newest: number;
  durationMs: number;
  bucketMs: number;
  span: number;
  touchedMs: number;
}

/** Drops the buckets that no longer count, oldest first: they come first in the map. */
function expire(count: SlidingCount, nowMs: number): void {
  const oldest = Math.floor(nowMs / count.bucketMs) - count.span;
  for (const [bucket, admitted] of count.counts) {
    // A bucket counted out of order (a clock set back) may wait behind a newer one: counted a while longer, never less.
    if (bucket >= oldest) break;
    count.counts.delete(bucket);
    count.total -= admitted;
  }
}

function admit(count: SlidingCount, cost: number, nowMs: number): void {
  if (cost === 0) return;
  const current = Math.floor(nowMs / count.bucketMs);
  count.counts.set(current, (count.counts.get(current) ?? 0) + cost);
  count.total += cost;
  if (current > count.newest) count.newest = current;
}

/**
 * judgeSliding's resetAt on the running figures: with nothing refused
 * (`refusedCost` 0), when the newest admission leaves the window; for a
 * refused charge, when enough of the oldest have left for it to fit.
 */
function resetAt(count: SlidingCount, rule: KeyLimitRule, refusedCost: number, nowMs: number): number {
  if (count.total === 0) return nowMs;
  if (refusedCost === 0) return (count.newest + count.span + 1) * count.bucketMs;
  return judgeSliding(rule, new Map(count.counts), refusedCost, nowMs).resetAt(false);
}

/** Longer than the longest duration (a day) and its last bucket: nothing older still counts. */
const IDLE_MS = 2 * 86_400_000;
const SWEEP_EVERY = 4096;
