import { nextRefillAt, refillPeriodStart } from '../credits/refill';
import { KeyCredits, KeyLimitRule, KeyUseRules } from './key-use-rules';

/** One named limit a use charges, with its cost. */
export interface LimitCharge {
  readonly rule: KeyLimitRule;
  readonly cost: number;
}

/** What one use of a key asks of its credits and named limits. */
export interface KeyUseDemand {
  /** Credits this use costs (a request 1, a verification its `cost`); ignored for a key without credits. */
  readonly credits: number;
  readonly limits: readonly LimitCharge[];
}

export interface CreditsOutcome {
  allowed: boolean;
  /** Left after this use (or, refused, left now). */
  remaining: number;
  /** When the next refill is due (epoch ms); null: the key has no refill. */
  nextRefillAtMs: number | null;
}

export interface LimitOutcome {
  readonly rule: KeyLimitRule;
  allowed: boolean;
  /** Uses left in the window after this one (or, refused, left now). */
  remaining: number;
  /** When the window ends and the limit is whole again (epoch ms). */
  resetAtMs: number;
}

/**
 * A use judged as a whole: allowed only when the credits and every named
 * limit allow it, and then charged to all of them at once; refused, it has
 * charged none of them.
 */
export interface KeyUseOutcome {
  allowed: boolean;
  credits: CreditsOutcome | null;
  limits: LimitOutcome[];
  /** This use took the last credit: the moment onExhausted is for. */
  exhausted: boolean;
  /** When the use was judged, by the server's clock (epoch ms): what resetAtMs and nextRefillAtMs are measured from. */
  nowMs: number;
  /** The credit count after this use, for the write-behind; null when the count did not change. */
  written: { remaining: number; atMs: number } | null;
}

/**
 * Where a credit count stands: `remaining` counted since `atMs`, the time the
 * count was last set whole (the row's lastRefillAt, or a refill's period).
 * The rules of a count, shared by the Redis script and memory:
 * - no count yet, or the row was set whole after the count began (an
 *   updateApiKey): the count starts from the row;
 * - a refill period began after the count's time: the count is the refill's amount;
 * - a use that costs more than is left is refused and takes nothing.
 */
export interface CreditCount {
  remaining: number;
  atMs: number;
}

/** -1: the key has no refill; otherwise when its current refill period began. */
export function refillPeriodOf(credits: KeyCredits, nowMs: number): number {
  return credits.refillInterval === null || credits.refillAmount === null
    ? -1
    : refillPeriodStart(credits.refillInterval, credits.createdAtMs, nowMs);
}

export function nextRefillOf(credits: KeyCredits, nowMs: number): number | null {
  return credits.refillInterval === null ? null : nextRefillAt(credits.refillInterval, credits.createdAtMs, nowMs);
}

/** The fixed window of a named limit that contains `nowMs`, numbered from the epoch, so every instance agrees on it. */
export function windowOf(rule: KeyLimitRule, nowMs: number): number {
  return Math.floor(nowMs / rule.durationMs);
}

/**
 * Credits and named limits counted in this process's memory: exact for one
 * process (every charge is judged and applied synchronously, so concurrent
 * requests cannot both take the last credit), per instance when several run
 * without Redis, and what the Redis ledger falls back to while Redis is down.
 */
export class MemoryKeyUseLedger {
  private readonly credits = new Map<number, CreditCount>();
  /** Per key, per limit name: the window counted and its uses. */
  private readonly windows = new Map<number, Map<string, WindowCount>>();
  private charges = 0;

  charge(rules: KeyUseRules, demand: KeyUseDemand, commit: boolean, nowMs: number): KeyUseOutcome {
    let count: CreditCount | null = null;
    let changed = false;
    if (rules.credits !== null) {
      count = this.credits.get(rules.keyId) ?? null;
      if (count === null || rules.credits.lastRefillAtMs > count.atMs) {
        count = { remaining: rules.credits.remaining, atMs: rules.credits.lastRefillAtMs };
        this.credits.set(rules.keyId, count);
        changed = true;
      }
      const period = refillPeriodOf(rules.credits, nowMs);
      if (period > count.atMs && rules.credits.refillAmount !== null) {
        count.remaining = rules.credits.refillAmount;
        count.atMs = period;
        changed = true;
      }
    }
    const creditsAllowed = count === null || demand.credits <= count.remaining;
    const counters = demand.limits.map(({ rule }) => this.counterOf(rules.keyId, rule, nowMs));
    const limitsAllowed = demand.limits.map(({ rule, cost }, i) => counters[i].used + cost <= rule.limit);
    const allowed = creditsAllowed && limitsAllowed.every(Boolean);
    let exhausted = false;
    if (allowed && commit) {
      if (count !== null && demand.credits > 0) {
        count.remaining -= demand.credits;
        changed = true;
        exhausted = count.remaining === 0;
      }
      demand.limits.forEach(({ cost }, i) => (counters[i].used += cost));
    }
    if (++this.charges % SWEEP_EVERY === 0) this.sweep(nowMs);
    return {
      allowed,
      credits:
        count === null || rules.credits === null
          ? null
          : { allowed: creditsAllowed, remaining: count.remaining, nextRefillAtMs: nextRefillOf(rules.credits, nowMs) },
      limits: demand.limits.map(({ rule }, i) => ({
        rule,
        allowed: limitsAllowed[i],
        remaining: Math.max(0, rule.limit - counters[i].used),
        resetAtMs: counters[i].endsAtMs,
      })),
      exhausted,
      nowMs,
      written: changed && count !== null ? { remaining: count.remaining, atMs: count.atMs } : null,
    };
  }

  /** Forgets every count, so the next uses start from the keys' rows (a Redis that came back). */
  forgetAll(): void {
    this.credits.clear();
    this.windows.clear();
  }

  private counterOf(keyId: number, rule: KeyLimitRule, nowMs: number): WindowCount {
    let named = this.windows.get(keyId);
    if (!named) this.windows.set(keyId, (named = new Map()));
    const window = windowOf(rule, nowMs);
    let counter = named.get(rule.name);
    if (!counter || counter.window !== window) {
      counter = { window, used: 0, endsAtMs: (window + 1) * rule.durationMs };
      named.set(rule.name, counter);
    }
    return counter;
  }

  /** Windows that ended are dropped, so memory follows the keys in use; credit counts stay (they are the balance). */
  private sweep(nowMs: number): void {
    for (const [keyId, named] of this.windows) {
      for (const [name, counter] of named) if (counter.endsAtMs <= nowMs) named.delete(name);
      if (named.size === 0) this.windows.delete(keyId);
    }
  }
}

interface WindowCount {
  window: number;
  used: number;
  endsAtMs: number;
}

const SWEEP_EVERY = 4096;
