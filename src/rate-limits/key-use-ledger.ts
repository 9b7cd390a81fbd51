import { nextRefillAt, refillPeriodStart } from '../credits/refill';
import { KeyCredits, KeyLimitRule } from './key-use-rules';

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
  /** When the count was last set whole (epoch ms): the row's lastRefillAt, or the refill period it is counting. */
  atMs: number;
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

/**
 * A count taken from the row alone (CreditCount's rules without a count of
 * its own): the row's, or the refill's amount once a period began after the
 * row was set whole.
 */
export function countFromRow(credits: KeyCredits, nowMs: number): CreditCount {
  const period = refillPeriodOf(credits, nowMs);
  return period > credits.lastRefillAtMs && credits.refillAmount !== null
    ? { remaining: credits.refillAmount, atMs: period }
    : { remaining: credits.remaining, atMs: credits.lastRefillAtMs };
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

/** Buckets a named limit's duration is cut into: admissions are counted per bucket. */
export const BUCKETS_PER_DURATION = 60;

/**
 * A named limit's sliding window, exact: time is cut into buckets of a
 * sixtieth of the duration, and a use in bucket b is admitted only if what
 * was admitted in buckets b - span .. b (span buckets cover at least one
 * duration before b starts), plus the use, fits in the limit. Any interval
 * one duration long lies within the buckets its last admission counted, so
 * no such interval ever holds more than the limit, across window edges too
 * (a fixed window would let twice the limit through around its edge). The
 * price: an admission counts for between one duration and one duration plus
 * a bucket. Only admitted uses are counted.
 */
export interface SlidingShape {
  bucketMs: number;
  span: number;
}

export function slidingShape(rule: KeyLimitRule): SlidingShape {
  const bucketMs = Math.max(1, Math.ceil(rule.durationMs / BUCKETS_PER_DURATION));
  return { bucketMs, span: Math.ceil(rule.durationMs / bucketMs) };
}

/**
 * Judges one charge of a named limit from its bucket counts (bucket → admitted),
 * and drops buckets that no longer count. resetAtMs: admitted (or a look),
 * when the limit is whole again; refused, when this charge would fit.
 */
export function judgeSliding(
  rule: KeyLimitRule,
  counts: Map<number, number>,
  cost: number,
  nowMs: number,
): { total: number; fits: boolean; current: number; resetAt(admitted: boolean): number } {
  const { bucketMs, span } = slidingShape(rule);
  const current = Math.floor(nowMs / bucketMs);
  let total = 0;
  for (const [bucket, count] of counts) {
    if (bucket < current - span) counts.delete(bucket);
    else total += count;
  }
  const fits = total + cost <= rule.limit;
  return {
    total,
    fits,
    current,
    resetAt(admitted: boolean): number {
      const buckets = [...counts.keys()].filter((b) => (counts.get(b) ?? 0) > 0).sort((x, y) => x - y);
      let resetBucket = buckets[buckets.length - 1];
      if (!admitted && cost > 0) {
        const counted = buckets.reduce((sum, b) => sum + (counts.get(b) ?? 0), 0);
        let freed = 0;
        for (const bucket of buckets) {
          freed += counts.get(bucket) ?? 0;
          if (counted - freed + cost <= rule.limit) {
            resetBucket = bucket;
            break;
          }
        }
      }
      return resetBucket === undefined ? nowMs : (resetBucket + span + 1) * bucketMs;
    },
  };
}
